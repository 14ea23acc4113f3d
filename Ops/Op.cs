namespace GraphDiff;

/// <summary>
/// The operations, as functions that build nodes: <c>Op.MatMul(W, X)</c>, <c>Op.Tanh(Z)</c>,
/// <c>Op.BinaryCrossEntropy(A, Y)</c>. Each operation's file holds its builder here (the losses' stand together in
/// Losses.cs), its operation class with the shape rule, forward kernel, local derivative and printing, side by side. With
/// <c>using static GraphDiff.Op;</c> the functions read like the course's formulas. The C# operators
/// (<c>+ − * /</c>, elementwise; see <see cref="NodeOperators"/>) build the same nodes.
/// Every builder records the caller's source line, which shape errors quote.
/// </summary>
public static partial class Op
{
    // Node.Apply resolves ambient scopes (a layer or Gradients.Of attributing its nodes to its caller).
    private static SourceLocation At(string file, int line) => new(file, line);

    /// <summary>The node of a one-operand builder; a null operand is refused under the builder's parameter name.</summary>
    private static Node Unary(Operation operation, Node x, string file, int line,
        [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(x))] string? parameter = null)
    {
        ArgumentNullException.ThrowIfNull(x, parameter);
        return Node.Apply(operation, [x], At(file, line));
    }

    /// <summary>The node of a two-operand builder; a null operand is refused under the builder's parameter name.</summary>
    private static Node Binary(Operation operation, Node a, Node b, string file, int line,
        [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(a))] string? first = null,
        [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(b))] string? second = null)
    {
        ArgumentNullException.ThrowIfNull(a, first);
        ArgumentNullException.ThrowIfNull(b, second);
        return Node.Apply(operation, [a, b], At(file, line));
    }

    /// <summary>
    /// Reduces a broadcast gradient back to <paramref name="shape"/> by summing over the broadcast dimensions
    /// (rows when <paramref name="shape"/> has one row, columns when it has one column; for any rank, every axis
    /// aligned on the last where <paramref name="shape"/> has 1 or no axis): the "unbroadcast" every
    /// broadcasting operation's derivative needs, e.g. db = Σ dZ over the m columns for b of (n, 1), or over
    /// (n_H, n_W, m) for a per-channel b of (n_C, 1) across (n_H, n_W, n_C, m). One sum, however many axes.
    /// </summary>
    public static Node ReduceTo(Node gradient, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (gradient.Shape == shape) return gradient;
        if (gradient.Shape.Rank > 2 || shape.Rank > 2)
        {
            var map = AxisMap.Aligned(gradient.Shape, shape);
            var g = map.Reduced.Length == 0 ? gradient : Sum(gradient, map.Reduced);
            return g.Shape == shape ? g : Reshape(g, shape);   // only leading 1s differ: the same storage
        }
        var s = gradient;
        if (shape.Rows == 1 && s.Shape.Rows != 1) s = Sum(s, axis: 0);
        if (shape.Columns == 1 && s.Shape.Columns != 1) s = Sum(s, axis: 1);
        return s.Shape == shape ? s : Reshape(s, shape);
    }
}
