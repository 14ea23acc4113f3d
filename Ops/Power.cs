using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// xᵖ for a constant exponent p, elementwise. Built as written; the compiler's <c>SmallPowers</c> rule makes
    /// <c>Power(x, 1)</c> x and <c>Power(x, 2)</c> <see cref="Square"/>. A fractional power of a negative number is
    /// NaN, which evaluation reports as an error.
    /// </summary>
    public static Node Power(Node x, double exponent, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!double.IsFinite(exponent)) throw new ArgumentOutOfRangeException(nameof(exponent), $"Power({x.Label}, {exponent}): the exponent must be finite.");
        return Node.Apply(new PowerOperation(exponent), [x], At(file, line));
    }
}

/// <summary>y = xᵖ. ∂y/∂x = p·xᵖ⁻¹, itself a power node, so higher derivatives follow (x³ → 3x² → 6x).</summary>
internal sealed class PowerOperation : ElementwiseUnary
{
    /// <summary>The instances tests try: an odd power, a fractional one (positive operands only), a pole at 0.</summary>
    internal static readonly PowerOperation[] Examples = [new(3), new(1.5), new(-1)];

    public PowerOperation(double exponent)
    {
        Exponent = exponent;
        Info = new()
        {
            // A whole non-negative exponent is defined everywhere; a fractional or negative one only for x > 0.
            Domain = exponent >= 0 && Math.Floor(exponent) == exponent ? OperationInfo.Anywhere : OperationInfo.Positive,
            Onnx = (onnx, _, x) => onnx.Add("Pow", [x[0], onnx.Constant(exponent)]),
            Code = $"Bp.Map({{0}}, v => System.Math.Pow(v, {exponent.ToString("R", CultureInfo.InvariantCulture)}))",
            Rebuild = a => double.IsFinite(OperationInfo.Required(a, "exponent")) ? new PowerOperation(a["exponent"])
                : throw new ArgumentOutOfRangeException(nameof(a), $"Power: the exponent must be finite, got {a["exponent"]}."),
        };
    }

    /// <summary>The constant exponent p.</summary>
    public double Exponent { get; }
    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => new Dictionary<string, double> { ["exponent"] = Exponent };
    /// <inheritdoc />
    public override string Name => "Power";
    /// <inheritdoc />
    public override int Precedence => FormattedOperand.Postfix;
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => TensorPrimitives.Pow(x, Exponent, y);
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Op.Multiply(upstream, Op.Multiply(Graph.Constant(Exponent), Lowered(node.Inputs[0], Exponent - 1)))];

    // The derivative's own power in its plain form: 2x, not 2·x^1, and 3x² as a square, in every gradient printed.
    private static Node Lowered(Node x, double exponent) => exponent switch
    {
        1 => x,
        2 => Op.Square(x),
        _ => Op.Power(x, exponent),
    };
    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        $"{operands[0].Within(FormattedOperand.Atom)}^{Exponent.ToString("G6", CultureInfo.InvariantCulture)}";
}
