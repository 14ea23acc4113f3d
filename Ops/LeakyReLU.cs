using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>LeakyReLU(z) = z for z &gt; 0, αz otherwise; α in [0, 1), 0.01 by default.</summary>
    public static Node LeakyReLU(Node z, double alpha = 0.01, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (!(alpha >= 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"LeakyReLU({z.Label}): the slope α must be in [0, 1), got {alpha}.");
        return Node.Apply(new LeakyReLUOperation(alpha), [z], At(file, line));
    }
}

/// <summary>
/// a = max(z, αz) for 0 ≤ α &lt; 1. ∂a/∂z = α + (1 − α)·Step(z): 1 where z &gt; 0, α elsewhere (α at the kink z = 0).
/// </summary>
internal sealed class LeakyReLUOperation : ElementwiseUnary
{
    /// <summary>The instance tests try.</summary>
    internal static readonly LeakyReLUOperation[] Examples = [new(0.1)];

    public LeakyReLUOperation(double alpha)
    {
        (Alpha, KeepsFinite) = (alpha, true);
        Info = new()
        {
            Domain = OperationInfo.Anywhere, Code = "",
            // max(z, αz), as the kernel computes it.
            Onnx = (onnx, _, x) => onnx.Add("Max", [x[0], onnx.Add("Mul", [x[0], onnx.Constant(alpha)])]),
            Rebuild = a => OperationInfo.Required(a, "alpha") is >= 0 and < 1 ? new LeakyReLUOperation(a["alpha"])
                : throw new ArgumentOutOfRangeException(nameof(a), $"LeakyReLU: the slope α must be in [0, 1), got {a["alpha"]}."),
        };
    }

    /// <summary>The slope α for negative inputs.</summary>
    public double Alpha { get; }
    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => new Dictionary<string, double> { ["alpha"] = Alpha };
    /// <inheritdoc />
    public override string Name => "LeakyReLU";
    /// <summary>z = 0, where the slope changes from α to 1 (unless α = 1, which the builder refuses).</summary>
    public override IReadOnlyList<double> Kinks => [0.0];
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y)
    {
        TensorPrimitives.Multiply(x, Alpha, y);
        TensorPrimitives.Max(x, y, y);
    }
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Op.Multiply(upstream, Op.Add(Graph.Constant(Alpha), Op.Multiply(Graph.Constant(1 - Alpha), Op.Step(node.Inputs[0]))))];
    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        $"LeakyReLU({operands[0].Text}, {Alpha.ToString("G6", CultureInfo.InvariantCulture)})";
}
