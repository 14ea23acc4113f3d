using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>x², elementwise.</summary>
    public static Node Square(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SquareOperation.Instance, x, file, line);
}

/// <summary>y = x². ∂y/∂x = 2x.</summary>
internal sealed class SquareOperation : ElementwiseUnary
{
    internal static readonly SquareOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Square";
    /// <inheritdoc />
    public override int Precedence => Precedences.Postfix;
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => TensorPrimitives.Multiply(x, x, y);
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Op.Multiply(upstream, Op.Multiply(Graph.Constant(2.0), node.Inputs[0]))];
    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"{operands[0].Within(Precedences.Atom)}²";
}
