using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>−x, elementwise.</summary>
    public static Node Negate(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(NegateOperation.Instance, x, file, line);
}

/// <summary>−x. ∂/∂x = −1.</summary>
internal sealed class NegateOperation : ElementwiseUnary
{
    internal static readonly NegateOperation Instance = new()
    {
        KeepsFinite = true,
        Info = new() { Domain = OperationInfo.Anywhere, Onnx = OperationInfo.OnnxAs("Neg"), Code = "Bp.Neg({0})" },
    };
    /// <inheritdoc />
    public override string Name => "Negate";
    /// <inheritdoc />
    public override int Precedence => FormattedOperand.Unary;
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => TensorPrimitives.Negate(x, y);
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [Op.Negate(upstream)];
    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"-{operands[0].Within(FormattedOperand.Postfix)}";
}
