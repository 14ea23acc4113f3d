using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>σ(z) = 1/(1 + e⁻ᶻ), elementwise; finite for every finite z (σ(±1000) is 1 or 0).</summary>
    public static Node Sigmoid(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SigmoidOperation, z, file, line);

    /// <summary>a = σ(z). ∂a/∂z = a(1 − a), reusing the forward value a: the course's cache, as a graph edge.</summary>
    internal static readonly Elementwise SigmoidOperation = new("Sigmoid", Kernels.VectorMath.Sigmoid, derivative: (z, a) => Multiply(a, Subtract(Graph.Constant(1.0), a)));
}
