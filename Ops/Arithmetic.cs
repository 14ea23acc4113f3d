using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff;

// The four elementwise arithmetic operations (the C# operators build the same nodes, see NodeOperators): each
// builder, then each operation's definition with its two gradient formulas.
static partial class Op
{
    /// <summary>a + b, elementwise with broadcasting. Adding a zero constant of the result's shape returns the other operand.</summary>
    public static Node Add(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Arithmetic(AddOperation, a, b, identity: 0, either: true, file, line);

    /// <summary>a − b, elementwise with broadcasting.</summary>
    public static Node Subtract(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Arithmetic(SubtractOperation, a, b, identity: 0, either: false, file, line);

    /// <summary>
    /// a ∘ b, the elementwise (Hadamard) product with broadcasting; <c>3 * x</c> scales. Multiplying by a
    /// constant 1 of the result's shape returns the other operand, which keeps gradient graphs readable.
    /// </summary>
    public static Node Multiply(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Arithmetic(MultiplyOperation, a, b, identity: 1, either: true, file, line);

    /// <summary>a / b, elementwise with broadcasting. Division by zero yields ∞, which evaluation reports as an error.</summary>
    public static Node Divide(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Arithmetic(DivideOperation, a, b, identity: 1, either: false, file, line);

    /// <summary>
    /// The node a ∘ b, or an operand itself when the other is a constant filled with the operation's identity
    /// (on the right; on either side when <paramref name="either"/>) and the result keeps that operand's shape:
    /// this keeps gradient graphs readable (g·1 is g).
    /// </summary>
    private static Node Arithmetic(Operation operation, Node a, Node b, double identity, bool either, string file, int line)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (IsFilled(b, identity) && Broadcasting.Shape(operation.Name, a, b) == a.Shape) return a;
        if (either && IsFilled(a, identity) && Broadcasting.Shape(operation.Name, a, b) == b.Shape) return b;
        return Node.Apply(operation, [a, b], At(file, line));
    }

    /// <summary>a + b. ∂/∂a = 1, ∂/∂b = 1: the upstream gradient passes to both, summed over broadcast dimensions.</summary>
    internal static readonly ElementwiseBinary<AddKernel> AddOperation =
        new("Add", "+", Precedences.Additive, associative: true, (a, b, y, g) => (g, g));

    /// <summary>a − b. ∂/∂a = 1, ∂/∂b = −1.</summary>
    internal static readonly ElementwiseBinary<SubtractKernel> SubtractOperation =
        new("Subtract", "-", Precedences.Additive, associative: false, (a, b, y, g) => (g, Negate(g)));

    /// <summary>a ∘ b. ∂/∂a = b, ∂/∂b = a (each summed over its broadcast dimensions).</summary>
    internal static readonly ElementwiseBinary<MultiplyKernel> MultiplyOperation =
        new("Multiply", "*", Precedences.Multiplicative, associative: true, (a, b, y, g) => (Multiply(g, b), Multiply(g, a)));

    /// <summary>q = a / b. ∂/∂a = 1/b, ∂/∂b = −a/b² = −q/b (reusing the forward value q).</summary>
    internal static readonly ElementwiseBinary<DivideKernel> DivideOperation =
        new("Divide", "/", Precedences.Multiplicative, associative: false, (a, b, q, g) => (Divide(g, b), Negate(Divide(Multiply(g, q), b))));
}
