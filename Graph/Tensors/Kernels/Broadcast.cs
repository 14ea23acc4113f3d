using GraphDiff.Tensors;

namespace GraphDiff.Kernels;

/// <summary>
/// Applies an elementwise binary kernel with broadcasting, column by column over column-major storage: each
/// operand contributes either a whole column (its rows match) or one number repeated down the column.
/// </summary>
internal static class Broadcast
{
    /// <summary>
    /// <paramref name="result"/> = <paramref name="a"/> ∘ <paramref name="b"/>, broadcast to the result's shape.
    /// <paramref name="result"/> may be the same storage as <paramref name="a"/> or <paramref name="b"/> when its shape matches.
    /// </summary>
    public static void Apply<TKernel>(Tensor a, Tensor b, Tensor result) where TKernel : IBinaryKernel
    {
        int rows = result.Rows, columns = result.Columns;
        if (a.IsContiguous && b.IsContiguous && result.IsContiguous)
        {
            int n = result.Length;
            if (a.Length == n && b.Length == n) { TKernel.Apply(a.Span, b.Span, result.Span); return; }
            if (b.Length == 1 && a.Length == n) { TKernel.Apply(a.Span, b.Span[0], result.Span); return; }
            if (a.Length == 1 && b.Length == n) { TKernel.Apply(a.Span[0], b.Span, result.Span); return; }
        }

        bool aFullRows = a.Rows == rows, bFullRows = b.Rows == rows;
        for (int j = 0; j < columns; j++)
        {
            var x = a.Column(a.Columns == 1 ? 0 : j);
            var y = b.Column(b.Columns == 1 ? 0 : j);
            var d = result.Column(j);
            if (aFullRows && bFullRows) TKernel.Apply(x, y, d);
            else if (aFullRows) TKernel.Apply(x, y[0], d);
            else if (bFullRows) TKernel.Apply(x[0], y, d);
            else d.Fill(TKernel.Apply(x[0], y[0]));
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="result"/>, repeating it along its dimensions of size 1.</summary>
    public static void To(Tensor source, Tensor result)
    {
        for (int j = 0; j < result.Columns; j++)
        {
            var s = source.Column(source.Columns == 1 ? 0 : j);
            var d = result.Column(j);
            if (source.Rows == result.Rows) s.CopyTo(d);
            else d.Fill(s[0]);
        }
    }
}
