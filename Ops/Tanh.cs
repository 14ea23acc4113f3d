using System.Runtime.CompilerServices;

namespace GraphDiff;

public static partial class Op
{
    /// <summary>tanh(z), elementwise.</summary>
    public static Node Tanh(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(z);
        return Node.Apply(TanhOperation.Instance, [z], At(file, line));
    }
}

/// <summary>a = tanh(z). ∂a/∂z = 1 − a², reusing the forward value a. Accurate to a few ulps at every magnitude (see <see cref="Kernels.VectorMath.Tanh"/>).</summary>
public sealed class TanhOperation : ElementwiseUnary
{
    internal static readonly TanhOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Tanh";
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => Kernels.VectorMath.Tanh(x, y);
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Op.Multiply(upstream, Op.Subtract(Graph.Constant(1.0), Op.Square(node)))];
}
