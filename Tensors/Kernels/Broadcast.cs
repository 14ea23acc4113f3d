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
            if (a.Length == n && b.Length == n) { VectorMath.Map<TKernel>(a.Span, b.Span, result.Span); return; }
            if (b.Length == 1 && a.Length == n) { VectorMath.Map<TKernel>(a.Span, default, result.Span, yScalar: b.Span[0]); return; }
            if (a.Length == 1 && b.Length == n) { VectorMath.Map<TKernel>(default, b.Span, result.Span, xScalar: a.Span[0]); return; }
            // A short column (a bias (n, 1) with few rows) across many columns: tile it, so that one vector call
            // covers many columns instead of one call per column.
            if (rows < ShortColumn && columns > 1)
            {
                if (a.Length == n && b.Rows == rows && b.Columns == 1) { Tiled<TKernel>(a.Span, b.Span, result.Span, tileIsRight: true); return; }
                if (b.Length == n && a.Rows == rows && a.Columns == 1) { Tiled<TKernel>(b.Span, a.Span, result.Span, tileIsRight: false); return; }
            }
        }

        bool aFullRows = a.Rows == rows, bFullRows = b.Rows == rows;
        for (int j = 0; j < columns; j++)
        {
            var x = a.Column(a.Columns == 1 ? 0 : j);
            var y = b.Column(b.Columns == 1 ? 0 : j);
            var d = result.Column(j);
            VectorMath.Map<TKernel>(x, y, d, aFullRows ? null : x[0], bFullRows ? null : y[0]);
        }
    }

    private const int ShortColumn = 32;
    private const int TileElements = 512;

    /// <summary>d = full ∘ column-repeated (or column-repeated ∘ full), the short column tiled to a few hundred elements.</summary>
    private static void Tiled<TKernel>(ReadOnlySpan<double> full, ReadOnlySpan<double> column, Span<double> d, bool tileIsRight) where TKernel : IBinaryKernel
    {
        int rows = column.Length;
        int tileLength = TileElements / rows * rows;
        Span<double> tile = stackalloc double[tileLength];
        for (int i = 0; i < tileLength; i += rows) column.CopyTo(tile[i..]);
        for (int start = 0; start < full.Length; start += tileLength)
        {
            int length = Math.Min(tileLength, full.Length - start);
            var x = full.Slice(start, length);
            var t = tile[..length];
            if (tileIsRight) VectorMath.Map<TKernel>(x, t, d.Slice(start, length));
            else VectorMath.Map<TKernel>(t, x, d.Slice(start, length));
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
