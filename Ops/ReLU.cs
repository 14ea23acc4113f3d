using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>ReLU(z) = max(z, 0), elementwise.</summary>
    public static Node ReLU(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(ReLUOperation, z, file, line);

    /// <summary>a = max(z, 0). ∂a/∂z = Step(z): 1 where z &gt; 0, else 0; at the kink z = 0 the derivative is taken as 0.</summary>
    internal static readonly Elementwise ReLUOperation = new("ReLU", (x, y) => System.Numerics.Tensors.TensorPrimitives.Max(x, 0.0, y), derivative: (z, a) => Step(z), kinks: 0);
}
