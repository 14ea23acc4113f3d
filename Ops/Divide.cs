using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff;

static partial class Op
{
    /// <summary>a / b, elementwise with broadcasting. Division by zero yields ∞, which evaluation reports as an error.</summary>
    public static Node Divide(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (IsFilled(b, 1) && Broadcasting.Shape(DivideOperation.Instance.Name, a, b) == a.Shape) return a;
        return Node.Apply(DivideOperation.Instance, [a, b], At(file, line));
    }
}

/// <summary>q = a / b. ∂/∂a = 1/b, ∂/∂b = −a/b² = −q/b (reusing the forward value q).</summary>
internal sealed class DivideOperation : ElementwiseBinary<DivideKernel>
{
    internal static readonly DivideOperation Instance = new();
    private DivideOperation() : base("Divide", "/", Precedences.Multiplicative, associative: false) { }

    /// <inheritdoc />
    protected override (Node DA, Node DB) Gradients(Node a, Node b, Node node, Node g) =>
        (Op.Divide(g, b), Op.Negate(Op.Divide(Op.Multiply(g, node), b)));
}
