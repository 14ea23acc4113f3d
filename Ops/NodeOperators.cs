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
        public static Node operator +(Node a, Node b) => Build(Op.AddOperation, a, b);
        /// <summary>Adds a number to every element.</summary>
        public static Node operator +(Node a, double b) => Build(Op.AddOperation, a, b);
        /// <summary>Adds a number to every element.</summary>
        public static Node operator +(double a, Node b) => Build(Op.AddOperation, a, b);
        /// <summary>Elementwise difference with broadcasting.</summary>
        public static Node operator -(Node a, Node b) => Build(Op.SubtractOperation, a, b);
        /// <summary>Subtracts a number from every element.</summary>
        public static Node operator -(Node a, double b) => Build(Op.SubtractOperation, a, b);
        /// <summary>Subtracts every element from a number (<c>1 - a</c>).</summary>
        public static Node operator -(double a, Node b) => Build(Op.SubtractOperation, a, b);
        /// <summary>Elementwise (Hadamard) product with broadcasting; the matrix product is <see cref="Op.MatMul(Node, Node, string, int)"/>.</summary>
        public static Node operator *(Node a, Node b) => Build(Op.MultiplyOperation, a, b);
        /// <summary>Multiplies every element by a number.</summary>
        public static Node operator *(Node a, double b) => Build(Op.MultiplyOperation, a, b);
        /// <summary>Multiplies every element by a number.</summary>
        public static Node operator *(double a, Node b) => Build(Op.MultiplyOperation, a, b);
        /// <summary>Elementwise quotient with broadcasting.</summary>
        public static Node operator /(Node a, Node b) => Build(Op.DivideOperation, a, b);
        /// <summary>Divides every element by a number.</summary>
        public static Node operator /(Node a, double b) => Build(Op.DivideOperation, a, b);
        /// <summary>Divides a number by every element.</summary>
        public static Node operator /(double a, Node b) => Build(Op.DivideOperation, a, b);
        /// <summary>Elementwise negation.</summary>
        public static Node operator -(Node a)
        {
            ArgumentNullException.ThrowIfNull(a);
            return Node.Apply(Op.NegateOperation, [a], SourceLocation.FromStack());
        }
    }

    // The location is passed on as read from the stack: its file and line are looked up only if shown.
    private static Node Build(Operation op, Node a, Node b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Node.Apply(op, [a, b], SourceLocation.FromStack());
    }

    private static Node Build(Operation op, Node a, double b)
    {
        ArgumentNullException.ThrowIfNull(a);
        var at = SourceLocation.FromStack();
        return Node.Apply(op, [a, Graph.Constant(b, at)], at);
    }

    private static Node Build(Operation op, double a, Node b)
    {
        ArgumentNullException.ThrowIfNull(b);
        var at = SourceLocation.FromStack();
        return Node.Apply(op, [Graph.Constant(a, at), b], at);
    }
}
