using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>ln x, elementwise. ln 0 = −∞ and ln of a negative number is NaN: evaluation reports either as an error.</summary>
    public static Node Log(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(LogOperation.Instance, x, file, line);
}

/// <summary>y = ln x. ∂y/∂x = 1/x.</summary>
internal sealed class LogOperation : ElementwiseUnary
{
    internal static readonly LogOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Log";
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => TensorPrimitives.Log(x, y);
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [Op.Divide(upstream, node.Inputs[0])];
}
