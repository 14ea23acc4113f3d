using System.Runtime.CompilerServices;

namespace GraphDiff;

/// <summary>
/// C# operators on nodes. <c>+ − * /</c> are elementwise with broadcasting (like numpy's), and a number on
/// either side becomes a 1×1 constant: <c>3 * (a + b * c)</c>. The matrix product is <see cref="Op.MatMul(Node, Node, string, int)"/>.
/// Operators cannot take caller-info parameters, so the node's source line is read from the stack.
/// </summary>
public static class NodeOperators
{
    extension(Node)
    {
        /// <summary>Elementwise sum with broadcasting.</summary>
        [MethodImpl(Located)] public static Node operator +(Node a, Node b) => Build(Op.AddOperation, a, b);
        /// <summary>Adds a number to every element.</summary>
        [MethodImpl(Located)] public static Node operator +(Node a, double b) => Build(Op.AddOperation, a, b);
        /// <summary>Adds a number to every element.</summary>
        [MethodImpl(Located)] public static Node operator +(double a, Node b) => Build(Op.AddOperation, a, b);
        /// <summary>Elementwise difference with broadcasting.</summary>
        [MethodImpl(Located)] public static Node operator -(Node a, Node b) => Build(Op.SubtractOperation, a, b);
        /// <summary>Subtracts a number from every element.</summary>
        [MethodImpl(Located)] public static Node operator -(Node a, double b) => Build(Op.SubtractOperation, a, b);
        /// <summary>Subtracts every element from a number (<c>1 - a</c>).</summary>
        [MethodImpl(Located)] public static Node operator -(double a, Node b) => Build(Op.SubtractOperation, a, b);
        /// <summary>Elementwise (Hadamard) product with broadcasting; the matrix product is <see cref="Op.MatMul(Node, Node, string, int)"/>.</summary>
        [MethodImpl(Located)] public static Node operator *(Node a, Node b) => Build(Op.MultiplyOperation, a, b);
        /// <summary>Multiplies every element by a number.</summary>
        [MethodImpl(Located)] public static Node operator *(Node a, double b) => Build(Op.MultiplyOperation, a, b);
        /// <summary>Multiplies every element by a number.</summary>
        [MethodImpl(Located)] public static Node operator *(double a, Node b) => Build(Op.MultiplyOperation, a, b);
        /// <summary>Elementwise quotient with broadcasting.</summary>
        [MethodImpl(Located)] public static Node operator /(Node a, Node b) => Build(Op.DivideOperation, a, b);
        /// <summary>Divides every element by a number.</summary>
        [MethodImpl(Located)] public static Node operator /(Node a, double b) => Build(Op.DivideOperation, a, b);
        /// <summary>Divides a number by every element.</summary>
        [MethodImpl(Located)] public static Node operator /(double a, Node b) => Build(Op.DivideOperation, a, b);
        /// <summary>Elementwise negation.</summary>
        [MethodImpl(Located)] public static Node operator -(Node a)
        {
            ArgumentNullException.ThrowIfNull(a);
            return Node.Apply(Op.NegateOperation, [a], SourceLocation.FromStack(libraryFrames: 1));
        }
    }

    // The user's frame is read at a known depth (Build, then the operator), so each must keep its frame: not inlined
    // into its caller, and compiled without optimisation, which is also what rules out a tail call.
    private const MethodImplOptions Located = MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization;

    // The location is passed on as read from the stack: its file and line are looked up only if shown.
    [MethodImpl(Located)]
    private static Node Build(Operation op, Node a, Node b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Node.Apply(op, [a, b], SourceLocation.FromStack(libraryFrames: 2));
    }

    [MethodImpl(Located)]
    private static Node Build(Operation op, Node a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        var at = SourceLocation.FromStack(libraryFrames: 2);
        return Node.Apply(op, [a, Graph.Constant(b, at)], at);
    }

    [MethodImpl(Located)]
    private static Node Build(Operation op, double a, Node b)
    {
        ArgumentNullException.ThrowIfNull(b);
        var at = SourceLocation.FromStack(libraryFrames: 2);
        return Node.Apply(op, [Graph.Constant(a, at), b], at);
    }
}
