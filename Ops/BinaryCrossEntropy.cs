namespace GraphDiff;

/// <summary>
/// J = −1/m Σ (y·log a + (1 − y)·log(1 − a)). With ā = clip(a): ∂J/∂a = (ā − y) / (ā(1 − ā)) / m
/// (the course's dA = −(y/a − (1 − y)/(1 − a)), with the 1/m of the mean), ∂J/∂y = (log(1 − ā) − log ā) / m.
/// </summary>
internal sealed class BinaryCrossEntropyOperation() : MeanLoss("BinaryCrossEntropy",
    new() { Domain = [(0.05, 0.95)], Onnx = OperationInfo.NoOnnx, Code = "", Meaning = OperationMeaning.BinaryCrossEntropy })
{
    internal static readonly BinaryCrossEntropyOperation Instance = new();

    /// <summary>The clip bounds of a, 1e−15 and 1 − 1e−15: outside them J no longer changes with a.</summary>
    public override IReadOnlyList<double> Kinks => [Losses.ProbabilityEpsilon, 1 - Losses.ProbabilityEpsilon];

    /// <inheritdoc />
    protected override double Total(Tensor prediction, Tensor labels)
    {
        ReadOnlySpan<double> a = prediction.Span, y = labels.Span;
        double total = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double p = Math.Clamp(a[i], Losses.ProbabilityEpsilon, 1 - Losses.ProbabilityEpsilon);
            total += -(y[i] * Math.Log(p) + (1 - y[i]) * Math.Log(1 - p));
        }
        return total;
    }

    /// <inheritdoc />
    protected override IReadOnlyList<Node?> Backward(Node a, Node y, Node scale)
    {
        var clipped = Op.Clip(a, Losses.ProbabilityEpsilon, 1 - Losses.ProbabilityEpsilon);
        var da = Op.Multiply(scale, Op.Divide(Op.Subtract(clipped, y), Op.Multiply(clipped, Op.Subtract(Graph.Constant(1.0), clipped))));
        var dy = Op.Multiply(scale, Op.Subtract(Op.Log(Op.Subtract(Graph.Constant(1.0), clipped)), Op.Log(clipped)));
        return [da, dy];
    }
}
