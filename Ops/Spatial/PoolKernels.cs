using System.Buffers;
using System.Numerics;
using GraphDiff.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GraphDiff;

/// <summary>
/// The pooling kernels on storage: an example is one column, pixel (y, x) holds its n_C channels contiguously at
/// (y·n_W + x)·n_C, so every kernel works on whole channel vectors. Windows are clipped to the image (padding is
/// never read). Units are an example's output row (gathers: each writes its own outputs) or a whole example
/// (scatters: overlapping windows add into the same input pixels, in window order).
/// </summary>
internal static class PoolKernels
{
    /// <summary>
    /// y = the maximum of each window, channel by channel, or (<paramref name="average"/>) the mean of its image
    /// pixels, padding not counted; unit = (example, output row).
    /// </summary>
    internal readonly struct Pool<E>(PoolGeometry g, Tensor<E> x, Tensor<E> y, bool average) : IUnitWork where E : unmanaged, IFloatingPointIeee754<E>
    {
        public void Run(int start, int end)
        {
            int c = g.Channels;
            for (int u = start; u < end; u++)
            {
                int j = u / g.OutHeight, oy = u % g.OutHeight;
                Span<E> xe = Example(x, j, g.InputRows), ye = Example(y, j, g.OutputRows);
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    var (y0, y1, x0, x1) = g.Window(oy, ox);
                    var dst = ye.Slice((oy * g.OutWidth + ox) * c, c);
                    xe.Slice((y0 * g.Width + x0) * c, c).CopyTo(dst);
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++)
                        {
                            var src = xe.Slice((iy * g.Width + ix) * c, c);
                            if (average) TensorPrimitives.Add(dst, src, dst);
                            else TensorPrimitives.Max(dst, src, dst);
                        }
                    if (average) TensorPrimitives.Divide(dst, E.CreateTruncating((y1 - y0) * (x1 - x0)), dst);
                }
            }
        }
    }

    /// <summary>dx = Σ over the windows holding each pixel of dy/count: the transpose of the average <see cref="Pool{E}"/>; unit = example.</summary>
    internal readonly struct AverageTranspose<E>(PoolGeometry g, Tensor<E> dy, Tensor<E> dx) : IUnitWork where E : unmanaged, IFloatingPointIeee754<E>
    {
        public void Run(int start, int end)
        {
            int c = g.Channels;
            for (int j = start; j < end; j++)
            {
                Span<E> dye = Example(dy, j, g.OutputRows), dxe = Example(dx, j, g.InputRows);
                dxe.Clear();
                for (int oy = 0; oy < g.OutHeight; oy++)
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        var (y0, y1, x0, x1) = g.Window(oy, ox);
                        var share = dye.Slice((oy * g.OutWidth + ox) * c, c);
                        E scale = E.CreateTruncating(1.0 / ((y1 - y0) * (x1 - x0)));
                        for (int iy = y0; iy < y1; iy++)
                            for (int ix = x0; ix < x1; ix++)
                            {
                                var d = dxe.Slice((iy * g.Width + ix) * c, c);
                                TensorPrimitives.MultiplyAdd(share, scale, d, d);
                            }
                    }
            }
        }
    }

    /// <summary>out = g at each window's first maximum of x (row-major), channel by channel; unit = (example, output row).</summary>
    internal readonly struct Gather<E>(PoolGeometry geometry, Tensor<E> x, Tensor<E> g, Tensor<E> result) : IUnitWork where E : unmanaged, IFloatingPointIeee754<E>
    {
        public void Run(int start, int end)
        {
            int c = geometry.Channels;
            int[]? rented = c > 256 ? ScratchPool<int>.Shared.Rent(c) : null;
            Span<int> at = rented is null ? stackalloc int[c] : rented.AsSpan(0, c);
            for (int u = start; u < end; u++)
            {
                int j = u / geometry.OutHeight, oy = u % geometry.OutHeight;
                Span<E> xe = Example(x, j, geometry.InputRows), ge = Example(g, j, geometry.InputRows), re = Example(result, j, geometry.OutputRows);
                for (int ox = 0; ox < geometry.OutWidth; ox++)
                {
                    FirstMaxima(geometry, xe, oy, ox, at);
                    var dst = re.Slice((oy * geometry.OutWidth + ox) * c, c);
                    for (int k = 0; k < c; k++) dst[k] = ge[at[k]];
                }
            }
            if (rented is not null) ScratchPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>dx = dy added at each window's first maximum of x (row-major), zero elsewhere; unit = example.</summary>
    internal readonly struct Scatter<E>(PoolGeometry g, Tensor<E> x, Tensor<E> dy, Tensor<E> dx) : IUnitWork where E : unmanaged, IFloatingPointIeee754<E>
    {
        public void Run(int start, int end)
        {
            int c = g.Channels;
            int[]? rented = c > 256 ? ScratchPool<int>.Shared.Rent(c) : null;
            Span<int> at = rented is null ? stackalloc int[c] : rented.AsSpan(0, c);
            for (int j = start; j < end; j++)
            {
                var xe = Example(x, j, g.InputRows);
                Span<E> dye = Example(dy, j, g.OutputRows), dxe = Example(dx, j, g.InputRows);
                dxe.Clear();
                for (int oy = 0; oy < g.OutHeight; oy++)
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        FirstMaxima(g, xe, oy, ox, at);
                        var share = dye.Slice((oy * g.OutWidth + ox) * c, c);
                        for (int k = 0; k < c; k++) dxe[at[k]] += share[k];
                    }
            }
            if (rented is not null) ScratchPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>Example j's storage in a value of the pool's input (<paramref name="rows"/> = n_H·n_W·n_C) or output shape.</summary>
    private static Span<E> Example<E>(Tensor<E> t, int j, int rows) where E : unmanaged, IFloatingPointIeee754<E> => t.Span.Slice(j * rows, rows);

    /// <summary>
    /// For each channel k, the storage index (within the example) of the first maximum of window (oy, ox) in
    /// row-major order: a later element replaces it only when strictly greater, so ties go to the first.
    /// </summary>
    private static void FirstMaxima<E>(PoolGeometry g, ReadOnlySpan<E> xe, int oy, int ox, Span<int> at) where E : unmanaged, IFloatingPointIeee754<E>
    {
        // The indices ride in integer lanes as wide as the values, so one comparison's mask selects both.
        int k = typeof(E) == typeof(float) ? FirstMaximaInLanes<E, int>(g, xe, oy, ox, at) : FirstMaximaInLanes<E, long>(g, xe, oy, ox, at);
        var (y0, y1, x0, x1) = g.Window(oy, ox);
        for (int c = g.Channels; k < c; k++)
        {
            int bestAt = (y0 * g.Width + x0) * c + k;
            for (int iy = y0; iy < y1; iy++)
                for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++)
                {
                    int p = (iy * g.Width + ix) * c + k;
                    if (xe[p] > xe[bestAt]) bestAt = p;
                }
            at[k] = bestAt;
        }
    }

    /// <summary>The first maxima of whole vectors of channels; returns how many channels it did.</summary>
    private static int FirstMaximaInLanes<E, I>(PoolGeometry g, ReadOnlySpan<E> xe, int oy, int ox, Span<int> at)
        where E : unmanaged, IFloatingPointIeee754<E> where I : unmanaged, IBinaryInteger<I>
    {
        var (y0, y1, x0, x1) = g.Window(oy, ox);
        int c = g.Channels, k = 0, lanes = Vector<E>.Count;
        if (!Vector.IsHardwareAccelerated) return 0;
        for (; k <= c - lanes; k += lanes)
        {
            int first = (y0 * g.Width + x0) * c + k;
            var best = new Vector<E>(xe.Slice(first));
            var where = new Vector<I>(I.CreateTruncating(first));
            for (int iy = y0; iy < y1; iy++)
                for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++)
                {
                    int p = (iy * g.Width + ix) * c + k;
                    var v = new Vector<E>(xe.Slice(p));
                    var greater = Vector.GreaterThan(v, best);
                    best = Vector.ConditionalSelect(greater, v, best);
                    where = Vector.ConditionalSelect(Vector.As<E, I>(greater), new Vector<I>(I.CreateTruncating(p)), where);
                }
            for (int l = 0; l < lanes; l++) at[k + l] = int.CreateTruncating(where[l]) + l;
        }
        return k;
    }
}
