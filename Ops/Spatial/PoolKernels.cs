using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                    // Channel vectors in registers (a library call per pixel cost more than the work on a few channels), the
                    // rest one by one; Vector.Max and E.Max are both IEEE maximum (NaN wins, +0 over −0), as TensorPrimitives.Max.
                    int k = 0;
                    for (; k <= c - Vector<E>.Count; k += Vector<E>.Count) Window(xe, y0, y1, x0, x1, k, average).CopyTo(dst.Slice(k));
                    for (; k < c; k++)
                    {
                        E value = xe[(y0 * g.Width + x0) * c + k];
                        for (int iy = y0; iy < y1; iy++)
                            for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++)
                            {
                                E next = xe[(iy * g.Width + ix) * c + k];
                                value = average ? value + next : E.Max(value, next);
                            }
                        dst[k] = average ? value / E.CreateTruncating((y1 - y0) * (x1 - x0)) : value;
                    }
                }
            }
        }

        /// <summary>The window's maximum or mean of channels k … k+lanes−1, pixels in row-major order.</summary>
        private Vector<E> Window(Span<E> xe, int y0, int y1, int x0, int x1, int k, bool average)
        {
            int c = g.Channels;
            var value = new Vector<E>(xe.Slice((y0 * g.Width + x0) * c + k));
            for (int iy = y0; iy < y1; iy++)
                for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++)
                {
                    var next = new Vector<E>(xe.Slice((iy * g.Width + ix) * c + k));
                    value = average ? value + next : Vector.Max(value, next);
                }
            return average ? value / new Vector<E>(E.CreateTruncating((y1 - y0) * (x1 - x0))) : value;
        }
    }

    /// <summary>dx = Σ over the windows holding each pixel of dy/count: the transpose of the average <see cref="Pool{E}"/>; unit = example.</summary>
    internal readonly struct AverageTranspose<E>(PoolGeometry g, Tensor<E> dy, Tensor<E> dx) : IUnitWork where E : unmanaged, IFloatingPointIeee754<E>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            if (g.Stride >= g.Size && Vector.IsHardwareAccelerated)
            {
                if (typeof(E) == typeof(float)) RunDisjoint<int>(start, end); else RunDisjoint<long>(start, end);
                return;
            }
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

        /// <summary>
        /// Windows that do not overlap (stride ≥ size, as 2×2 stride 2): each pixel of a window is written once, dy where
        /// it holds the window's first maximum and 0 elsewhere, whole channel vectors at a time (the general path finds
        /// the maxima's indices, then adds lane by lane). The maxima are chosen as <see cref="FirstMaxima{E}"/> chooses them.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunDisjoint<I>(int start, int end) where I : unmanaged, IBinaryInteger<I>
        {
            int c = g.Channels, lanes = Vector<E>.Count, vectorEnd = c - c % lanes;
            // Pixels no window reaches (a ragged edge, padding's clipped windows) are zero.
            bool covers = g.Padding == 0 && g.Stride == g.Size && g.OutHeight * g.Size == g.Height && g.OutWidth * g.Size == g.Width;
            for (int j = start; j < end; j++)
            {
                var xe = Example(x, j, g.InputRows);
                Span<E> dye = Example(dy, j, g.OutputRows), dxe = Example(dx, j, g.InputRows);
                if (!covers) dxe.Clear();
                for (int oy = 0; oy < g.OutHeight; oy++)
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        var (y0, y1, x0, x1) = g.Window(oy, ox);
                        var share = dye.Slice((oy * g.OutWidth + ox) * c, c);
                        for (int k = 0; k < vectorEnd; k += lanes)
                        {
                            var where = FirstMaximumInLanes<E, I>(g, xe, y0, y1, x0, x1, k);
                            var value = Vector<E>.Zero + new Vector<E>(share.Slice(k));   // 0 + dy, as the general path adds it
                            for (int iy = y0; iy < y1; iy++)
                                for (int ix = x0; ix < x1; ix++)
                                {
                                    int p = (iy * g.Width + ix) * c + k;
                                    var mine = Vector.As<I, E>(Vector.Equals(where, new Vector<I>(I.CreateTruncating(p))));
                                    Vector.ConditionalSelect(mine, value, Vector<E>.Zero).CopyTo(dxe.Slice(p));
                                }
                        }
                        for (int k = vectorEnd; k < c; k++)
                        {
                            int best = FirstMaximum(g, xe, y0, y1, x0, x1, k);
                            for (int iy = y0; iy < y1; iy++)
                                for (int ix = x0; ix < x1; ix++)
                                {
                                    int p = (iy * g.Width + ix) * c + k;
                                    dxe[p] = p == best ? E.Zero + share[k] : E.Zero;
                                }
                        }
                    }
            }
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
        var (y0, y1, x0, x1) = g.Window(oy, ox);
        int c = g.Channels, k = 0, lanes = Vector<E>.Count;
        if (Vector.IsHardwareAccelerated)
            for (; k <= c - lanes; k += lanes)
            {
                // The indices ride in integer lanes as wide as the values, so one comparison's mask selects both.
                if (typeof(E) == typeof(float)) Spread(FirstMaximumInLanes<E, int>(g, xe, y0, y1, x0, x1, k), at.Slice(k, lanes));
                else Spread(FirstMaximumInLanes<E, long>(g, xe, y0, y1, x0, x1, k), at.Slice(k, lanes));
            }
        for (; k < c; k++) at[k] = FirstMaximum(g, xe, y0, y1, x0, x1, k);
    }

    /// <summary>Lane l's index, which <see cref="FirstMaximumInLanes{E, I}"/> keeps as the index of lane 0, plus l.</summary>
    private static void Spread<I>(Vector<I> where, Span<int> at) where I : unmanaged, IBinaryInteger<I>
    {
        for (int l = 0; l < at.Length; l++) at[l] = int.CreateTruncating(where[l]) + l;
    }

    /// <summary>The storage index of channel k's first maximum in the window (the scalar form of <see cref="FirstMaximumInLanes{E, I}"/>).</summary>
    private static int FirstMaximum<E>(PoolGeometry g, ReadOnlySpan<E> xe, int y0, int y1, int x0, int x1, int k) where E : unmanaged, IFloatingPointIeee754<E>
    {
        int c = g.Channels, bestAt = (y0 * g.Width + x0) * c + k;
        for (int iy = y0; iy < y1; iy++)
            for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++)
            {
                int p = (iy * g.Width + ix) * c + k;
                if (xe[p] > xe[bestAt]) bestAt = p;
            }
        return bestAt;
    }

    /// <summary>
    /// Channels k … k+lanes−1 at once: in each lane, the storage index of lane 0's channel at the pixel holding that
    /// lane's first maximum (add the lane number for the lane's own index).
    /// </summary>
    private static Vector<I> FirstMaximumInLanes<E, I>(PoolGeometry g, ReadOnlySpan<E> xe, int y0, int y1, int x0, int x1, int k)
        where E : unmanaged, IFloatingPointIeee754<E> where I : unmanaged, IBinaryInteger<I>
    {
        int c = g.Channels, first = (y0 * g.Width + x0) * c + k;
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
        return where;
    }
}
