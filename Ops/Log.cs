using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>ln x, elementwise. ln 0 = −∞ and ln of a negative number is NaN: evaluation reports either as an error.</summary>
    public static Node Log(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(LogOperation, x, file, line);

    /// <summary>y = ln x. ∂y/∂x = 1/x.</summary>
    internal static readonly Elementwise LogOperation = new("Log", (x, y) => TensorPrimitives.Log(x, y), backward: (g, x, y) => Divide(g, x));
}
