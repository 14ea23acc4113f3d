namespace GraphDiff;

/// <summary>
/// What an operation means for labels and for the networks built on it, declared in
/// <see cref="OperationInfo.Meaning"/> so that training finds it without knowing operation types. A loss takes
/// its labels as operand 1.
/// </summary>
public enum OperationMeaning
{
    /// <summary>Nothing special (the default).</summary>
    None,
    /// <summary>An activation whose output is a probability in (0, 1) (σ): its natural cost is binary cross-entropy.</summary>
    Probability,
    /// <summary>An activation whose output columns are distributions (softmax): its natural cost is the distribution cross-entropy.</summary>
    Distribution,
    /// <summary>The log of a distribution (log-softmax): labels multiplied with it, Σ Y ∘ LogSoftmax(Z), must be distributions.</summary>
    LogDistribution,
    /// <summary>Binary cross-entropy of a probability (operand 0), clipped, so it saturates: labels (operand 1) must be in [0, 1].</summary>
    BinaryCrossEntropy,
    /// <summary>Binary cross-entropy of logits (operand 0), which does not saturate: labels (operand 1) must be in [0, 1].</summary>
    BinaryCrossEntropyOfLogits,
    /// <summary>Cross-entropy against distributions: each column of the labels (operand 1) must sum to 1.</summary>
    DistributionCrossEntropy,
}
