using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Kernels;

/// <summary>
/// Applies an elementwise binary kernel with broadcasting, column by column over column-major storage: each
/// operand contributes either a whole column (its rows match) or one number repeated down the column.
/// </summary>
public static class Broadcast
{
    /// <summary>
    /// <paramref name="result"/> = <paramref name="a"/> ∘ <paramref name="b"/>, broadcast to the result's shape.
    /// <paramref name="result"/> may be the same matrix as <paramref name="a"/> or <paramref name="b"/> when its shape matches.
    /// </summary>
    public static void Apply<TKernel>(Matrix<double> a, Matrix<double> b, Matrix<double> result) where TKernel : IBinaryKernel
    {
        var x = Dense.Storage(a);
        var y = Dense.Storage(b);
        var d = Dense.Storage(result);
        int rows = result.RowCount, columns = result.ColumnCount;
        if (x.Length == d.Length && y.Length == d.Length) { TKernel.Apply(x, y, d); return; }
        if (y.Length == 1 && x.Length == d.Length) { TKernel.Apply(x, y[0], d); return; }
        if (x.Length == 1 && y.Length == d.Length) { TKernel.Apply(x[0], y, d); return; }

        bool xFullRows = a.RowCount == rows, yFullRows = b.RowCount == rows;
        for (int j = 0; j < columns; j++)
        {
            int xj = a.ColumnCount == 1 ? 0 : j, yj = b.ColumnCount == 1 ? 0 : j;
            var dc = d.AsSpan(j * rows, rows);
            if (xFullRows && yFullRows) TKernel.Apply(x.AsSpan(xj * rows, rows), y.AsSpan(yj * rows, rows), dc);
            else if (xFullRows) TKernel.Apply(x.AsSpan(xj * rows, rows), y[yj], dc);
            else if (yFullRows) TKernel.Apply(x[xj], y.AsSpan(yj * rows, rows), dc);
            else dc.Fill(TKernel.Apply(x[xj], y[yj]));
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="result"/>, repeating it along its dimensions of size 1.</summary>
    public static void To(Matrix<double> source, Matrix<double> result)
    {
        var s = Dense.Storage(source);
        var d = Dense.Storage(result);
        int rows = result.RowCount;
        for (int j = 0; j < result.ColumnCount; j++)
        {
            int sj = source.ColumnCount == 1 ? 0 : j;
            var dc = d.AsSpan(j * rows, rows);
            if (source.RowCount == rows) s.AsSpan(sj * rows, rows).CopyTo(dc);
            else dc.Fill(s[sj]);
        }
    }
}
