namespace GraphDiff;

/// <summary>
/// The broadcasting rule of elementwise operations, numpy's: the shapes are aligned on their last axis (the batch
/// axis), and in each axis the sizes are equal, or one of them is 1 and is repeated (a missing leading axis counts
/// as 1). So a <c>(n,1)</c> bias broadcasts across the m columns, a <c>(1,m)</c> row across rows, a 1×1 across
/// everything, and a per-channel <c>(n_C,1)</c> across an image batch <c>(n_H,n_W,n_C,m)</c>.
/// </summary>
internal static class Broadcasting
{
    private const string Rule =
        "elementwise operands must have equal sizes in each axis, or size 1 there to broadcast " +
        "(a (n,1) column across columns, a (1,m) row across rows, a 1×1 across everything; shapes align on their last axis)";

    /// <summary>The broadcast shape of <paramref name="a"/> and <paramref name="b"/>, or a shape error naming both and the axis that disagrees.</summary>
    public static Shape Shape(string operation, Node a, Node b)
    {
        if (a.Shape.Rank == 2 && b.Shape.Rank == 2)
        {
            if (Dimension(a.Shape.Rows, b.Shape.Rows) is { } rows && Dimension(a.Shape.Columns, b.Shape.Columns) is { } columns)
                return new Shape(rows, columns);
            throw ShapeMismatchException.For(operation, [a, b], Rule);
        }
        int[] x = a.Shape.Dimensions, y = b.Shape.Dimensions;
        int rank = Math.Max(x.Length, y.Length);
        var result = new int[rank];
        for (int k = 1; k <= rank; k++)
        {
            int dx = k <= x.Length ? x[^k] : 1, dy = k <= y.Length ? y[^k] : 1;
            result[^k] = Dimension(dx, dy) ?? throw ShapeMismatchException.For(operation, [a, b],
                $"axis {rank - k} (counting the shapes aligned on their last axis) is {GraphDiff.Shape.FormatDimension(dx)} in {a.Label} " +
                $"and {GraphDiff.Shape.FormatDimension(dy)} in {b.Label}; {Rule}");
        }
        return GraphDiff.Shape.Of(result);
    }

    /// <summary>
    /// True when <paramref name="operand"/> broadcasts to <paramref name="target"/> by the kernels' rank-2 rule on
    /// their storage: it has the target's leading axes or none of size above 1, and the target's last axis or 1.
    /// </summary>
    public static bool CoveredByKernels(Shape operand, Shape target)
    {
        if (operand.Rank == 2 && target.Rank == 2) return true;
        bool columnsFit = operand.Columns == target.Columns || operand.Columns == 1;
        bool rowsFit = operand.Rows == 1 || (operand.Rows == target.Rows && SameLeadingAxes(operand, target));
        return columnsFit && rowsFit;
    }

    // Same leading axes once aligned on the last axis (missing axes count as 1).
    private static bool SameLeadingAxes(Shape operand, Shape target)
    {
        int[] x = operand.Dimensions, y = target.Dimensions;
        for (int k = 2; k <= y.Length; k++)
            if ((k <= x.Length ? x[^k] : 1) != y[^k]) return false;
        return x.Length <= y.Length || x[..^(y.Length)].All(d => d == 1);
    }

    private static int? Dimension(int x, int y) => x == y ? x : x == 1 ? y : y == 1 ? x : null;
}
