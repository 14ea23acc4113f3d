using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// The course's cost J = −1/m Σ (y·log a + (1 − y)·log(1 − a)) for predictions <paramref name="a"/> in (0, 1)
    /// and labels <paramref name="y"/> of the same shape (n, m); m is the number of columns. a is clipped to
    /// [1e−15, 1 − 1e−15] so that a saturated sigmoid (a = 0 or 1 exactly) still gives a finite cost and gradient.
    /// </summary>
    public static Node BinaryCrossEntropy(Node a, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Losses.RequireSameShape("BinaryCrossEntropy", a, y);
        return Node.Apply(BinaryCrossEntropyOperation.Instance, [a, y], At(file, line));
    }
}

/// <summary>
/// J = −1/m Σ (y·log a + (1 − y)·log(1 − a)). With ā = clip(a): ∂J/∂a = (ā − y) / (ā(1 − ā)) / m
/// (the course's dA = −(y/a − (1 − y)/(1 − a)), with the 1/m of the mean), ∂J/∂y = (log(1 − ā) − log ā) / m.
/// </summary>
internal sealed class BinaryCrossEntropyOperation : MeanLoss
{
    internal static readonly BinaryCrossEntropyOperation Instance = new()
    {
        Info = new() { Domain = [(0.05, 0.95)], Onnx = OperationInfo.NoOnnx, Code = "", Meaning = OperationMeaning.BinaryCrossEntropy },
    };
    /// <inheritdoc />
    public override string Name => "BinaryCrossEntropy";

    /// <summary>The clip bounds of a, 1e−15 and 1 − 1e−15: outside them J no longer changes with a.</summary>
    public override IReadOnlyList<double> Kinks => [Losses.ProbabilityEpsilon, 1 - Losses.ProbabilityEpsilon];

    /// <inheritdoc />
    protected override double Total(ReadOnlySpan<double> a, ReadOnlySpan<double> y)
    {
        double total = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double p = Math.Clamp(a[i], Losses.ProbabilityEpsilon, 1 - Losses.ProbabilityEpsilon);
            total += -(y[i] * Math.Log(p) + (1 - y[i]) * Math.Log(1 - p));
        }
        return total;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        Node a = node.Inputs[0], y = node.Inputs[1];
        var clipped = Op.Clip(a, Losses.ProbabilityEpsilon, 1 - Losses.ProbabilityEpsilon);
        var scale = PerExample(upstream, a);
        var da = Op.Multiply(scale, Op.Divide(Op.Subtract(clipped, y), Op.Multiply(clipped, Op.Subtract(Graph.Constant(1.0), clipped))));
        var dy = Op.Multiply(scale, Op.Subtract(Op.Log(Op.Subtract(Graph.Constant(1.0), clipped)), Op.Log(clipped)));
        return [da, dy];
    }
}
