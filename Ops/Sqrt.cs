using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>√x, elementwise. √ of a negative number is NaN, which evaluation reports as an error.</summary>
    public static Node Sqrt(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SqrtOperation, x, file, line);

    /// <summary>y = √x. ∂y/∂x = 1/(2√x) = 1/(2y) (the forward value is reused).</summary>
    internal static readonly Elementwise SqrtOperation = new("Sqrt", (x, y) => TensorPrimitives.Sqrt(x, y), backward: (g, x, y) => Divide(g, Multiply(Graph.Constant(2.0), y)));
}
