using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff;

static partial class Op
{
    /// <summary>a + b, elementwise with broadcasting. Adding a zero constant of the result's shape returns the other operand.</summary>
    public static Node Add(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (IsFilled(b, 0) && Broadcasting.Shape(AddOperation.Instance.Name, a, b) == a.Shape) return a;
        if (IsFilled(a, 0) && Broadcasting.Shape(AddOperation.Instance.Name, a, b) == b.Shape) return b;
        return Node.Apply(AddOperation.Instance, [a, b], At(file, line));
    }
}

/// <summary>a + b. ∂/∂a = 1, ∂/∂b = 1: the upstream gradient passes to both, summed over broadcast dimensions.</summary>
internal sealed class AddOperation : ElementwiseBinary<AddKernel>
{
    internal static readonly AddOperation Instance = new();
    private AddOperation() : base("Add", "+", Precedences.Additive, associative: true) { }

    /// <inheritdoc />
    protected override (Node DA, Node DB) Gradients(Node a, Node b, Node node, Node g) =>
        (g, g);
}
