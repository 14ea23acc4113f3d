using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>x clipped to [<paramref name="low"/>, <paramref name="high"/>], elementwise.</summary>
    public static Node Clip(Node x, double low, double high, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(low <= high)) throw new ArgumentOutOfRangeException(nameof(low), $"Clip({x.Label}): low ({low}) must not exceed high ({high}).");
        return Node.Apply(new ClipOperation(low, high), [x], At(file, line));
    }
}

/// <summary>y = min(max(x, low), high). ∂y/∂x = 1 strictly inside (low, high), 0 outside and at the bounds.</summary>
internal sealed class ClipOperation : ElementwiseUnary
{
    /// <summary>The instance tests try.</summary>
    internal static readonly ClipOperation[] Examples = [new(-0.5, 0.25)];

    public ClipOperation(double low, double high)
    {
        (Low, High, KeepsFinite) = (low, high, true);
        Info = new()
        {
            Domain = OperationInfo.Anywhere,
            // min(max(x, low), high), as the kernel computes it.
            Onnx = (onnx, _, x) => onnx.Add("Min", [onnx.Add("Max", [x[0], onnx.Constant(low)]), onnx.Constant(high)]),
            Code = string.Create(CultureInfo.InvariantCulture, $"Bp.Map({{0}}, v => System.Math.Clamp(v, {low:R}, {high:R}))"),
            Rebuild = a => OperationInfo.Required(a, "low") <= OperationInfo.Required(a, "high") ? new ClipOperation(a["low"], a["high"])
                : throw new ArgumentOutOfRangeException(nameof(a), $"Clip: low ({a["low"]}) exceeds high ({a["high"]})."),
        };
    }

    /// <summary>The lower bound.</summary>
    public double Low { get; }
    /// <summary>The upper bound.</summary>
    public double High { get; }
    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => new Dictionary<string, double> { ["low"] = Low, ["high"] = High };
    /// <inheritdoc />
    public override string Name => "Clip";
    /// <summary>Both bounds, where the slope changes between 0 and 1.</summary>
    public override IReadOnlyList<double> Kinks => Low == High ? [Low] : [Low, High];
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y)
    {
        TensorPrimitives.Max(x, Low, y);
        TensorPrimitives.Min(y, High, y);
    }
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        var x = node.Inputs[0];
        var inside = Op.Multiply(Op.Step(Op.Subtract(x, Graph.Constant(Low))), Op.Step(Op.Subtract(Graph.Constant(High), x)));
        return [Op.Multiply(upstream, inside)];
    }
    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        string.Create(CultureInfo.InvariantCulture, $"Clip({operands[0].Text}, {Low:R}, {High:R})");
}
