using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>|x|, elementwise.</summary>
    public static Node Abs(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(AbsOperation.Instance, x, file, line);
}

/// <summary>
/// y = |x|. ∂y/∂x = sign(x), written Step(x) − Step(−x); at the kink x = 0 the derivative is taken as 0
/// (a valid subgradient, and what PyTorch uses).
/// </summary>
internal sealed class AbsOperation : ElementwiseUnary
{
    internal static readonly AbsOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Abs";
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => TensorPrimitives.Abs(x, y);
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        var x = node.Inputs[0];
        return [Op.Multiply(upstream, Op.Subtract(Op.Step(x), Op.Step(Op.Negate(x))))];
    }
    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"|{operands[0].Text}|";
}
