using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>eˣ, elementwise.</summary>
    public static Node Exp(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(ExpOperation, x, file, line);

    /// <summary>y = eˣ. ∂y/∂x = eˣ = y (the forward value is reused).</summary>
    internal static readonly Elementwise ExpOperation = new("Exp", Kernels.VectorMath.Exp, derivative: (x, y) => y);
}
