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
        public unsafe void Run(int start, int end)
        {
            int c = g.Channels, lanes = Vector<E>.Count, vectorEnd = Vector.IsHardwareAccelerated ? c - c % lanes : 0, rowStride = g.Width * c;
            if (!average && g.Size == 2 && g.Stride == 2 && g.Padding == 0 && vectorEnd == c) { MaxOfTwoByTwo(start, end); return; }
            for (int u = start; u < end; u++)
            {
                int j = u / g.OutHeight, oy = u % g.OutHeight;
                Span<E> xe = Example(x, j, g.InputRows), ye = Example(y, j, g.OutputRows);
                fixed (E* image = xe, pooled = ye)
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        var (y0, y1, x0, x1) = g.Window(oy, ox);
                        E* corner = image + (y0 * g.Width + x0) * c, dst = pooled + (oy * g.OutWidth + ox) * c;
                        // Channel vectors in registers (a library call per pixel cost more than the work on a few channels), the
                        // rest one by one; Vector.Max and E.Max are both IEEE maximum (NaN wins, +0 over −0), as TensorPrimitives.Max.
                        for (int k = 0; k < vectorEnd; k += lanes) Window(corner + k, y1 - y0, x1 - x0, rowStride, c, average).Store(dst + k);
                        for (int k = vectorEnd; k < c; k++)
                        {
                            E value = corner[k];
                            for (int iy = 0; iy < y1 - y0; iy++)
                                for (int ix = iy == 0 ? 1 : 0; ix < x1 - x0; ix++)
                                {
                                    E next = corner[iy * rowStride + ix * c + k];
                                    value = average ? value + next : E.Max(value, next);
                                }
                            dst[k] = average ? value / E.CreateTruncating((y1 - y0) * (x1 - x0)) : value;
                        }
                    }
            }
        }

        /// <summary>
        /// The course's 2×2 max pool of stride 2 with whole channel vectors: four loads and three maxima per vector, in
        /// <see cref="Window"/>'s order (the general loop, its bounds and its branch on the kind of pool per pixel cost 4×
        /// the work: 0.27 ms for the float ConvNet's first pool).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void MaxOfTwoByTwo(int start, int end)
        {
            int c = g.Channels, lanes = Vector<E>.Count, rowStride = g.Width * c;
            for (int u = start; u < end; u++)
            {
                int j = u / g.OutHeight, oy = u % g.OutHeight;
                fixed (E* image = Example(x, j, g.InputRows), pooled = Example(y, j, g.OutputRows))
                {
                    E* top = image + 2 * oy * rowStride, dst = pooled + oy * g.OutWidth * c;
                    for (int ox = 0; ox < g.OutWidth; ox++, top += 2 * c, dst += c)
                        for (int k = 0; k < c; k += lanes)
                        {
                            var upper = Vector.Max(Vector.Load(top + k), Vector.Load(top + c + k));
                            Vector.Max(Vector.Max(upper, Vector.Load(top + rowStride + k)), Vector.Load(top + rowStride + c + k)).Store(dst + k);
                        }
                }
            }
        }

        /// <summary>The maximum or mean of a window's channel vector at <paramref name="corner"/> (its first pixel), pixels in row-major order.</summary>
        private static unsafe Vector<E> Window(E* corner, int rows, int columns, int rowStride, int c, bool average)
        {
            var value = Vector.Load(corner);
            for (int iy = 0; iy < rows; iy++)
                for (int ix = iy == 0 ? 1 : 0; ix < columns; ix++)
                {
                    var next = Vector.Load(corner + iy * rowStride + ix * c);
                    value = average ? value + next : Vector.Max(value, next);
                }
            return average ? value / new Vector<E>(E.CreateTruncating(rows * columns)) : value;
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
        private unsafe void RunDisjoint<I>(int start, int end) where I : unmanaged, IBinaryInteger<I>
        {
            int c = g.Channels, lanes = Vector<E>.Count, vectorEnd = c - c % lanes, rowStride = g.Width * c;
            // Pixels no window reaches (a ragged edge, padding's clipped windows) are zero.
            bool covers = g.Padding == 0 && g.Stride == g.Size && g.OutHeight * g.Size == g.Height && g.OutWidth * g.Size == g.Width;
            if (covers && g.Size == 2 && vectorEnd == c) { TwoByTwo(start, end); return; }
            for (int j = start; j < end; j++)
            {
                Span<E> xe = Example(x, j, g.InputRows), dye = Example(dy, j, g.OutputRows), dxe = Example(dx, j, g.InputRows);
                if (!covers) dxe.Clear();
                fixed (E* image = xe, upstream = dye, gradient = dxe)
                    for (int oy = 0; oy < g.OutHeight; oy++)
                        for (int ox = 0; ox < g.OutWidth; ox++)
                        {
                            var (y0, y1, x0, x1) = g.Window(oy, ox);
                            int rows = y1 - y0, columns = x1 - x0, at = (y0 * g.Width + x0) * c;
                            E* share = upstream + (oy * g.OutWidth + ox) * c;
                            for (int k = 0; k < vectorEnd; k += lanes)
                            {
                                var first = FirstMaximumInLanes<E, I>(image + at + k, rows, columns, rowStride, c);
                                var value = Vector<E>.Zero + Vector.Load(share + k);   // 0 + dy, as the general path adds it
                                for (int o = 0; o < rows * columns; o++)
                                {
                                    var mine = Vector.As<I, E>(Vector.Equals(first, new Vector<I>(I.CreateTruncating(o))));
                                    Vector.ConditionalSelect(mine, value, Vector<E>.Zero).Store(gradient + at + (o / columns) * rowStride + (o % columns) * c + k);
                                }
                            }
                            for (int k = vectorEnd; k < c; k++)
                            {
                                int best = FirstMaximum(g, xe, y0, y1, x0, x1, k);
                                for (int iy = y0; iy < y1; iy++)
                                    for (int ix = x0; ix < x1; ix++)
                                    {
                                        int p = (iy * g.Width + ix) * c + k;
                                        gradient[p] = p == best ? E.Zero + share[k] : E.Zero;
                                    }
                            }
                        }
            }
        }

        /// <summary>
        /// <see cref="RunDisjoint{I}"/> for 2×2 windows of stride 2 tiling the image, whole channel vectors: the first
        /// maximum found by three comparisons in <see cref="FirstMaximumInLanes{E, I}"/>'s order, each pixel written once.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void TwoByTwo(int start, int end)
        {
            int c = g.Channels, lanes = Vector<E>.Count, rowStride = g.Width * c;
            for (int j = start; j < end; j++)
                fixed (E* image = Example(x, j, g.InputRows), upstream = Example(dy, j, g.OutputRows), gradient = Example(dx, j, g.InputRows))
                    for (int oy = 0; oy < g.OutHeight; oy++)
                    {
                        E* share = upstream + oy * g.OutWidth * c;
                        long top = 2L * oy * rowStride;
                        for (int ox = 0; ox < g.OutWidth; ox++, top += 2 * c, share += c)
                            for (int k = 0; k < c; k += lanes)
                            {
                                long p00 = top + k, p01 = p00 + c, p10 = p00 + rowStride, p11 = p10 + c;
                                Vector<E> v00 = Vector.Load(image + p00), v01 = Vector.Load(image + p01), v10 = Vector.Load(image + p10), v11 = Vector.Load(image + p11);
                                var beyond01 = Vector.GreaterThan(v01, v00);
                                var best = Vector.ConditionalSelect(beyond01, v01, v00);
                                var beyond10 = Vector.GreaterThan(v10, best);
                                var at11 = Vector.GreaterThan(v11, Vector.ConditionalSelect(beyond10, v10, best));
                                var at10 = Vector.AndNot(beyond10, at11);
                                var at01 = Vector.AndNot(Vector.AndNot(beyond01, beyond10), at11);
                                var value = Vector<E>.Zero + Vector.Load(share + k);   // 0 + dy, as the general path adds it
                                Vector.ConditionalSelect(at11 | at10 | at01, Vector<E>.Zero, value).Store(gradient + p00);
                                Vector.ConditionalSelect(at01, value, Vector<E>.Zero).Store(gradient + p01);
                                Vector.ConditionalSelect(at10, value, Vector<E>.Zero).Store(gradient + p10);
                                Vector.ConditionalSelect(at11, value, Vector<E>.Zero).Store(gradient + p11);
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
    private static unsafe void FirstMaxima<E>(PoolGeometry g, ReadOnlySpan<E> xe, int oy, int ox, Span<int> at) where E : unmanaged, IFloatingPointIeee754<E>
    {
        var (y0, y1, x0, x1) = g.Window(oy, ox);
        int c = g.Channels, k = 0, lanes = Vector<E>.Count, columns = x1 - x0;
        if (Vector.IsHardwareAccelerated)
            fixed (E* image = xe)
                for (; k <= c - lanes; k += lanes)
                {
                    E* corner = image + (y0 * g.Width + x0) * c + k;
                    // The indices ride in integer lanes as wide as the values, so one comparison's mask selects both.
                    if (typeof(E) == typeof(float)) Spread(g, FirstMaximumInLanes<E, int>(corner, y1 - y0, columns, g.Width * c, c), y0, x0, columns, k, at);
                    else Spread(g, FirstMaximumInLanes<E, long>(corner, y1 - y0, columns, g.Width * c, c), y0, x0, columns, k, at);
                }
        for (; k < c; k++) at[k] = FirstMaximum(g, xe, y0, y1, x0, x1, k);
    }

    /// <summary>Each lane's window ordinal as the storage index of its channel (k + lane) at that pixel.</summary>
    private static void Spread<I>(PoolGeometry g, Vector<I> ordinals, int y0, int x0, int columns, int k, Span<int> at) where I : unmanaged, IBinaryInteger<I>
    {
        for (int l = 0; l < Vector<I>.Count; l++)
        {
            int o = int.CreateTruncating(ordinals[l]);
            at[k + l] = ((y0 + o / columns) * g.Width + x0 + o % columns) * g.Channels + k + l;
        }
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
    /// A channel vector at once, from its value at the window's first pixel (<paramref name="corner"/>): in each lane, the
    /// row-major ordinal (0 … rows·columns−1) of the pixel holding that lane's first maximum.
    /// </summary>
    private static unsafe Vector<I> FirstMaximumInLanes<E, I>(E* corner, int rows, int columns, int rowStride, int c)
        where E : unmanaged, IFloatingPointIeee754<E> where I : unmanaged, IBinaryInteger<I>
    {
        var best = Vector.Load(corner);
        var where = Vector<I>.Zero;
        for (int iy = 0; iy < rows; iy++)
            for (int ix = iy == 0 ? 1 : 0; ix < columns; ix++)
            {
                var v = Vector.Load(corner + iy * rowStride + ix * c);
                var greater = Vector.GreaterThan(v, best);
                best = Vector.ConditionalSelect(greater, v, best);
                where = Vector.ConditionalSelect(Vector.As<E, I>(greater), new Vector<I>(I.CreateTruncating(iy * columns + ix)), where);
            }
        return where;
    }
}
