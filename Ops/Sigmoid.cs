using System.Runtime.CompilerServices;

namespace GraphDiff;

public static partial class Op
{
    /// <summary>σ(z) = 1/(1 + e⁻ᶻ), elementwise; finite for every finite z (σ(±1000) is 1 or 0).</summary>
    public static Node Sigmoid(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(z);
        return Node.Apply(SigmoidOperation.Instance, [z], At(file, line));
    }
}

/// <summary>a = σ(z). ∂a/∂z = a(1 − a), reusing the forward value a: the course's cache, as a graph edge.</summary>
public sealed class SigmoidOperation : ElementwiseUnary
{
    internal static readonly SigmoidOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Sigmoid";
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => Kernels.VectorMath.Sigmoid(x, y);
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Op.Multiply(upstream, Op.Multiply(node, Op.Subtract(Graph.Constant(1.0), node)))];
}
