using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>√x, elementwise. √ of a negative number is NaN, which evaluation reports as an error.</summary>
    public static Node Sqrt(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SqrtOperation.Instance, x, file, line);
}

/// <summary>y = √x. ∂y/∂x = 1/(2√x) = 1/(2y) (the forward value is reused).</summary>
internal sealed class SqrtOperation : ElementwiseUnary
{
    internal static readonly SqrtOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Sqrt";
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => TensorPrimitives.Sqrt(x, y);
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Op.Divide(upstream, Op.Multiply(Graph.Constant(2.0), node))];
}
