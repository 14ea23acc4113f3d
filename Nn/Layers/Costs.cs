namespace GraphDiff.Nn;

/// <summary>Builds cost nodes.</summary>
internal static class Costs
{
    /// <summary>The cost node for output A = g(Z) against labels Y.</summary>
    public static Node Build(CostFunction cost, Node scores, Node output, Node labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(labels);
        return cost switch
        {
            CostFunction.BinaryCrossEntropy => Op.BinaryCrossEntropy(output, labels),
            CostFunction.SoftmaxCrossEntropy => Op.SoftmaxCrossEntropy(scores, labels),
            CostFunction.L2 => Op.L2Loss(output, labels) / Op.Count(output, axis: 1),
            CostFunction.L1 => Op.L1Loss(output, labels) / Op.Count(output, axis: 1),
            _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, "Unknown cost."),
        };
    }

    /// <summary>The natural cost for an output activation, by what its output means: cross-entropy for a probability (σ) and for distributions (softmax), L2 otherwise.</summary>
    public static CostFunction DefaultFor(Activation output) => output.Meaning switch
    {
        OperationMeaning.Probability => CostFunction.BinaryCrossEntropy,
        OperationMeaning.Distribution => CostFunction.SoftmaxCrossEntropy,
        _ => CostFunction.L2,
    };
}
