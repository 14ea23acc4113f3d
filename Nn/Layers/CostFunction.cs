namespace GraphDiff.Nn;

/// <summary>The cost J a network minimises over m examples.</summary>
public enum CostFunction
{
    /// <summary>The course's J = −1/m Σ (y log a + (1 − y) log(1 − a)), for a sigmoid output.</summary>
    BinaryCrossEntropy,
    /// <summary>−1/m Σ y log softmax(z) with one-hot labels, computed from the scores Z[L] for stability.</summary>
    SoftmaxCrossEntropy,
    /// <summary>The course's L2 loss per example, averaged: 1/m Σ (a − y)².</summary>
    L2,
    /// <summary>The course's L1 loss per example, averaged: 1/m Σ |a − y|.</summary>
    L1,
}
