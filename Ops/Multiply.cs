using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// a ∘ b, the elementwise (Hadamard) product with broadcasting; <c>3 * x</c> scales. Multiplying by a
    /// constant 1 of the result's shape returns the other operand, which keeps gradient graphs readable.
    /// </summary>
    public static Node Multiply(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (IsFilled(b, 1) && Broadcasting.Shape(MultiplyOperation.Instance.Name, a, b) == a.Shape) return a;
        if (IsFilled(a, 1) && Broadcasting.Shape(MultiplyOperation.Instance.Name, a, b) == b.Shape) return b;
        return Node.Apply(MultiplyOperation.Instance, [a, b], At(file, line));
    }
}

/// <summary>a ∘ b. ∂/∂a = b, ∂/∂b = a (each summed over its broadcast dimensions).</summary>
internal sealed class MultiplyOperation : ElementwiseBinary<MultiplyKernel>
{
    internal static readonly MultiplyOperation Instance = new();
    private MultiplyOperation() : base("Multiply", "*", Precedences.Multiplicative, associative: true) { }

    /// <inheritdoc />
    protected override (Node DA, Node DB) Gradients(Node a, Node b, Node node, Node g) =>
        (Op.Multiply(g, b), Op.Multiply(g, a));
}
