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
        public static Node operator +(Node a, Node b) => Build(static (x, y, f, l) => Op.Add(x, y, f, l), a, b);
        /// <summary>Adds a number to every element.</summary>
        public static Node operator +(Node a, double b) => Build(static (x, y, f, l) => Op.Add(x, y, f, l), a, b);
        /// <summary>Adds a number to every element.</summary>
        public static Node operator +(double a, Node b) => Build(static (x, y, f, l) => Op.Add(x, y, f, l), a, b);
        /// <summary>Elementwise difference with broadcasting.</summary>
        public static Node operator -(Node a, Node b) => Build(static (x, y, f, l) => Op.Subtract(x, y, f, l), a, b);
        /// <summary>Subtracts a number from every element.</summary>
        public static Node operator -(Node a, double b) => Build(static (x, y, f, l) => Op.Subtract(x, y, f, l), a, b);
        /// <summary>Subtracts every element from a number (<c>1 - a</c>).</summary>
        public static Node operator -(double a, Node b) => Build(static (x, y, f, l) => Op.Subtract(x, y, f, l), a, b);
        /// <summary>Elementwise (Hadamard) product with broadcasting; the matrix product is <see cref="Op.MatMul(Node, Node, string, int)"/>.</summary>
        public static Node operator *(Node a, Node b) => Build(static (x, y, f, l) => Op.Multiply(x, y, f, l), a, b);
        /// <summary>Multiplies every element by a number.</summary>
        public static Node operator *(Node a, double b) => Build(static (x, y, f, l) => Op.Multiply(x, y, f, l), a, b);
        /// <summary>Multiplies every element by a number.</summary>
        public static Node operator *(double a, Node b) => Build(static (x, y, f, l) => Op.Multiply(x, y, f, l), a, b);
        /// <summary>Elementwise quotient with broadcasting.</summary>
        public static Node operator /(Node a, Node b) => Build(static (x, y, f, l) => Op.Divide(x, y, f, l), a, b);
        /// <summary>Divides every element by a number.</summary>
        public static Node operator /(Node a, double b) => Build(static (x, y, f, l) => Op.Divide(x, y, f, l), a, b);
        /// <summary>Divides a number by every element.</summary>
        public static Node operator /(double a, Node b) => Build(static (x, y, f, l) => Op.Divide(x, y, f, l), a, b);
        /// <summary>Elementwise negation.</summary>
        public static Node operator -(Node a)
        {
            ArgumentNullException.ThrowIfNull(a);
            var at = SourceLocation.FromStack();
            return Op.Negate(a, at.File, at.Line);
        }
    }

    private static Node Build(Func<Node, Node, string, int, Node> op, Node a, Node b)
    {
        var at = SourceLocation.FromStack();
        return op(a, b, at.File, at.Line);
    }

    private static Node Build(Func<Node, Node, string, int, Node> op, Node a, double b)
    {
        var at = SourceLocation.FromStack();
        return op(a, Graph.Constant(b, at.File, at.Line), at.File, at.Line);
    }

    private static Node Build(Func<Node, Node, string, int, Node> op, double a, Node b)
    {
        var at = SourceLocation.FromStack();
        return op(Graph.Constant(a, at.File, at.Line), b, at.File, at.Line);
    }
}
