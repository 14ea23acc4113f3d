namespace GraphDiff;

/// <summary>
/// The broadcasting rule of elementwise operations: in each dimension the sizes are equal, or one of them is 1
/// and is repeated. So a <c>(n,1)</c> bias broadcasts across the m columns, a <c>(1,m)</c> row across rows,
/// and a 1×1 across everything.
/// </summary>
internal static class Broadcasting
{
    /// <summary>The broadcast shape of <paramref name="a"/> and <paramref name="b"/>, or a shape error naming both.</summary>
    public static Shape Shape(string operation, Node a, Node b)
    {
        if (Dimension(a.Shape.Rows, b.Shape.Rows) is { } rows && Dimension(a.Shape.Columns, b.Shape.Columns) is { } columns)
            return new Shape(rows, columns);
        throw ShapeMismatchException.For(operation, [a, b],
            "elementwise operands must have equal sizes in each dimension, or size 1 there to broadcast " +
            "(a (n,1) column across columns, a (1,m) row across rows, a 1×1 across everything)");
    }

    private static int? Dimension(int x, int y) => x == y ? x : x == 1 ? y : y == 1 ? x : null;
}
