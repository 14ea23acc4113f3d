using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using GraphDiff.Tensors;

namespace GraphDiff.Kernels;

/// <summary>Sums over an axis of column-major storage: everything, down each column, or across each row.</summary>
internal static class Reductions
{
    /// <summary>
    /// y = Σ x over <paramref name="axis"/> (null: all, 1×1; 0: down each column, 1×columns; 1: across each row,
    /// rows×1). Contiguous tensors take one vector sum per column (or per tensor); views go column by column.
    /// </summary>
    public static void Sum<T>(Tensor<T> x, int? axis, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = x.Rows, columns = x.Columns;
        if (!x.IsContiguous || !y.IsContiguous) { SumStrided(x, axis, y); return; }
        var xs = x.Span;
        var ys = y.Span;
        switch (axis)
        {
            case null:
                ys[0] = TensorPrimitives.Sum<T>(xs);
                break;
            case 0:
                if (rows == 1) { xs.CopyTo(ys); break; }   // each column is one element
                for (int j = 0; j < columns; j++) ys[j] = TensorPrimitives.Sum<T>(xs.Slice(j * rows, rows));
                break;
            default:
                RowSums(xs, rows, columns, ys);
                break;
        }
    }

    /// <summary>
    /// y[i] = Σⱼ x(i, j) for x stored column after column. One row is one contiguous sum. Short columns (db of a
    /// few units: 4×m) are summed a register of columns at a time, so m columns cost m/Count vector additions
    /// rather than m scalar loops; long columns are added with one vector call per column.
    /// </summary>
    private static void RowSums<T>(ReadOnlySpan<T> x, int rows, int columns, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        y.Slice(0, rows).Clear();
        if (columns == 0 || rows == 0) return;   // a row sum over no columns (m = 0) is 0
        if (rows == 1) { y[0] = TensorPrimitives.Sum<T>(x.Slice(0, columns)); return; }
        if (rows >= 16) { LongRowSums(x, rows, columns, y); return; }
        // A block of Count columns is `rows` registers long; accumulate block after block, then fold the Count columns.
        int count = Vector<T>.Count, blocks = columns / count;
        Span<Vector<T>> sums = stackalloc Vector<T>[rows];
        sums.Clear();
        var vectors = MemoryMarshal.Cast<T, Vector<T>>(x.Slice(0, blocks * count * rows));
        for (int b = 0; b < blocks; b++)
        {
            var block = vectors.Slice(b * rows, rows);
            for (int r = 0; r < rows; r++) sums[r] += block[r];
        }
        var folded = MemoryMarshal.Cast<Vector<T>, T>(sums);
        for (int c = 0; c < count; c++)
            for (int i = 0; i < rows; i++) y[i] += folded[c * rows + i];
        for (int j = blocks * count; j < columns; j++)
            for (int i = 0; i < rows; i++) y[i] += x[j * rows + i];
    }

    /// <summary>
    /// Row sums of columns of 16 rows or more: a few registers of rows summed across every column in registers (a call
    /// per column of 128 rows was most of db1's 0.2–0.3 ms in the deep step), the rows split over the cores when there
    /// are many elements. Each row's terms are added in column order, as one vector addition per column adds them, so
    /// the bits are those of that loop whatever the split.
    /// </summary>
    private static unsafe void LongRowSums<T>(ReadOnlySpan<T> x, int rows, int columns, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = 4 * Vector<T>.Count, blocks = (rows + block - 1) / block;
        int parts = (long)rows * columns >= ColumnsFinished.ParallelElements ? Math.Min(Environment.ProcessorCount, blocks) : 1;
        fixed (T* xp = x, yp = y)
        {
            if (parts <= 1) { RowSumsOf(xp, rows, columns, yp, 0, rows); return; }
            KernelThreads.For(parts, ((nint)xp, (nint)yp, rows, columns, blocks, parts, block), static (s, t) =>
            {
                var (xp, yp, rows, columns, blocks, parts, block) = s;
                int r0 = (int)((long)blocks * t / parts) * block, r1 = Math.Min(rows, (int)((long)blocks * (t + 1) / parts) * block);
                RowSumsOf((T*)xp, rows, columns, (T*)yp, r0, r1);
            });
        }
    }

    /// <summary>y[i] = Σⱼ x(i, j) for rows <paramref name="r0"/> … <paramref name="r1"/>−1, four registers of rows at a time.</summary>
    private static unsafe void RowSumsOf<T>(T* x, int rows, int columns, T* y, int r0, int r1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = Vector<T>.Count, i = r0;
        for (; i + 4 * count <= r1; i += 4 * count)
        {
            T* c = x + i;
            Vector<T> s0 = Vector.Load(c), s1 = Vector.Load(c + count), s2 = Vector.Load(c + 2 * count), s3 = Vector.Load(c + 3 * count);
            for (int j = 1; j < columns; j++)
            {
                c += rows;
                s0 += Vector.Load(c);
                s1 += Vector.Load(c + count);
                s2 += Vector.Load(c + 2 * count);
                s3 += Vector.Load(c + 3 * count);
            }
            s0.Store(y + i);
            s1.Store(y + i + count);
            s2.Store(y + i + 2 * count);
            s3.Store(y + i + 3 * count);
        }
        for (; i + count <= r1; i += count)
        {
            var sum = Vector.Load(x + i);
            for (int j = 1; j < columns; j++) sum += Vector.Load(x + (long)j * rows + i);
            sum.Store(y + i);
        }
        for (; i < r1; i++)
        {
            T sum = x[i];
            for (int j = 1; j < columns; j++) sum += x[(long)j * rows + i];
            y[i] = sum;
        }
    }

    /// <summary>The same sums over views with gaps between columns: one vector call per column.</summary>
    private static void SumStrided<T>(Tensor<T> x, int? axis, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (axis)
        {
            case null:
                T total = T.Zero;
                for (int j = 0; j < x.Columns; j++) total += TensorPrimitives.Sum<T>(x.Column(j));
                y[0, 0] = total;
                break;
            case 0:
                for (int j = 0; j < x.Columns; j++) y[0, j] = TensorPrimitives.Sum<T>(x.Column(j));
                break;
            default:
                var sums = y.Column(0);
                sums.Clear();
                for (int j = 0; j < x.Columns; j++) TensorPrimitives.Add(sums, x.Column(j), sums);
                break;
        }
    }
}
