using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>tanh(z), elementwise.</summary>
    public static Node Tanh(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(TanhOperation, z, file, line);

    /// <summary>a = tanh(z). ∂a/∂z = 1 − a², reusing the forward value a. Accurate to a few ulps at every magnitude (see <see cref="Kernels.VectorMath.Tanh"/>).</summary>
    internal static readonly Elementwise TanhOperation = new("Tanh", Kernels.VectorMath.Tanh, derivative: (z, a) => Subtract(Graph.Constant(1.0), Square(a)));
}
