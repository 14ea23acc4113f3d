using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// The convolution of a multi-channel input, its input gradient and its kernel gradient without im2col: each example
/// is copied inside a zero border (its frame), and register tiles (<see cref="ConvTiles"/>) read the patches where
/// they lie, so no patch matrix is written or read back. The input gradient of a stride-1 convolution is itself a
/// convolution (of the output gradient, framed, by the kernel flipped and with its channels swapped). Work is split
/// by example (forward, input gradient) or by tile of the kernel (kernel gradient, every tile summing all examples in
/// order): results are bit-identical on one core or many.
/// </summary>
internal static class ConvInPlace
{
    /// <summary>Channels a tile of <typeparamref name="E"/> computes (two vectors at the width in use: twice as many floats as doubles), or 0 when there is no vector path.</summary>
    private static int TileChannels<E>() where E : unmanaged => ConvTiles.Channels * (sizeof(double) / Unsafe.SizeOf<E>());

    /// <summary>
    /// The channels a tile computes when a result has <paramref name="channels"/> of them: the widest tile that divides
    /// them, down to two 128-bit vectors, or 0. Sixteen float channels are two 256-bit vectors on an AVX-512 machine: the
    /// float ConvNet's input gradient of conv2 (16 channels) had no tile of 32 and ran widened to double, 1.5 ms against
    /// its forward's 0.7.
    /// </summary>
    private static int TileChannels<E>(int channels) where E : unmanaged
    {
        for (int mr = TileChannels<E>(); mr >= 32 / Unsafe.SizeOf<E>(); mr /= 2)
            if (channels % mr == 0) return mr;
        return 0;
    }

    /// <summary>
    /// The tile of a convolution whose result has <paramref name="channels"/>: the widest two-register tile when it
    /// divides them; else, when half of it does, one register of the widest width summing input channels in pairs
    /// (<see cref="ConvTiles.ConvolvePairs{T, E}"/>); else the narrower tiles of <see cref="TileChannels{E}(int)"/>.
    /// </summary>
    private static (int Mr, bool Paired) ConvolutionTile<E>(int channels) where E : unmanaged
    {
        int wide = TileChannels<E>();
        return wide > 0 && channels % wide != 0 && channels % (wide / 2) == 0 ? (wide / 2, true) : (TileChannels<E>(channels), false);
    }

    /// <summary>Whether <see cref="Forward"/> and <see cref="KernelGradient"/> take this convolution: several input channels, whole tiles of output channels.</summary>
    public static bool Fits<E>(ConvGeometry g) where E : unmanaged => g.C >= 2 && TileChannels<E>(g.K) > 0;

    /// <summary>Whether <see cref="InputGradient"/> takes it: stride 1, padding no wider than the dilated kernel, whole tiles of input channels.</summary>
    public static bool FitsInputGradient<E>(ConvGeometry g) where E : unmanaged =>
        g.Stride == 1 && g.Padding <= g.Dilation * (g.FH - 1) && g.Padding <= g.Dilation * (g.FW - 1) && TileChannels<E>(g.C) > 0;

    /// <summary>y = conv(x, kernel) + bias.</summary>
    public static void Forward<E>(ConvGeometry g, Tensor<E> x, Tensor<E> kernel, Tensor<E>? bias, Tensor<E> y) where E : unmanaged, IFloatingPointIeee754<E>
    {
        var (mr, paired) = ConvolutionTile<E>(g.K);
        var frame = new Frame(g.H, g.W, g.C, g.Padding, g.Padding, g.FH, g.FW, g.Dilation);
        var weights = Pack(mr, kernel.Span, g.PatchLength, g.K, frame.Taps, g.C, new Strides(Output: g.PatchLength, Tap: g.C, Channel: 1, Flipped: false));
        Convolve(mr, paired, frame, g.Stride, g.OutH, g.OutW, g.K, weights, x, y, bias);
        ScratchPool<E>.Shared.Return(weights);
    }

    /// <summary>∂J/∂x for stride 1: the output gradient framed by d(f−1)−p and convolved with the kernel turned half a turn, its channels swapped.</summary>
    public static void InputGradient<E>(ConvGeometry g, Tensor<E> upstream, Tensor<E> kernel, Tensor<E> dx) where E : unmanaged, IFloatingPointIeee754<E>
    {
        var (mr, paired) = ConvolutionTile<E>(g.C);
        var frame = new Frame(g.OutH, g.OutW, g.K, g.Dilation * (g.FH - 1) - g.Padding, g.Dilation * (g.FW - 1) - g.Padding, g.FH, g.FW, g.Dilation);
        int taps = frame.Taps;
        // Tap t of the turned kernel is tap taps−1−t of the stored one; its channels are the stored kernel's outputs.
        var weights = Pack(mr, kernel.Span, g.K * taps, g.C, taps, g.K, new Strides(Output: 1, Tap: g.C, Channel: g.PatchLength, Flipped: true));
        Convolve(mr, paired, frame, 1, g.H, g.W, g.C, weights, upstream, dx, null);
        ScratchPool<E>.Shared.Return(weights);
    }

    /// <summary>
    /// The weights as the tiles read them: per tile of output channels, for each tap t and input channel c in
    /// order, the tile's channels contiguous; <paramref name="at"/> says where element (t, c, o) is in storage.
    /// </summary>
    private static E[] Pack<E>(int mr, ReadOnlySpan<E> stored, int length, int outputs, int taps, int channels, Strides at) where E : unmanaged
    {
        var packed = ScratchPool<E>.Shared.Rent(length * outputs);
        int i = 0;
        for (int o0 = 0; o0 < outputs; o0 += mr)
            for (int t = 0; t < taps; t++)
                for (int c = 0; c < channels; c++)
                    for (int o = o0; o < o0 + mr; o++) packed[i++] = stored[o * at.Output + (at.Flipped ? taps - 1 - t : t) * at.Tap + c * at.Channel];
        return packed;
    }

    /// <summary>Where a kernel's element (tap, channel, output) lies in storage: a stride for each, the taps in reverse order when flipped.</summary>
    private readonly record struct Strides(int Output, int Tap, int Channel, bool Flipped);

    private static void Convolve<E>(int mr, bool paired, Frame frame, int stride, int outH, int outW, int outputs, E[] weights, Tensor<E> source, Tensor<E> result, Tensor<E>? bias)
        where E : unmanaged, IFloatingPointIeee754<E>
    {
        int m = source.Columns, rows = frame.Height * frame.Width * frame.Channels;
        long work = (long)outH * outW * outputs * frame.Taps * frame.Channels;
        var offsets = frame.TapOffsets();
        ConvBlocks.Run(m, work * m, (mr, paired, frame, stride, outH, outW, outputs, weights, offsets, source, result, bias, rows), static (s, e) =>
        {
            var (mr, paired, frame, stride, outH, outW, outputs, weights, offsets, source, result, bias, rows) = s;
            ConvolveExample(mr, paired, frame, stride, outH, outW, outputs, weights, offsets,
                source.Span.Slice(e * rows, rows), result.Span.Slice(e * outH * outW * outputs, outH * outW * outputs), bias);
        });
        ScratchPool<int>.Shared.Return(offsets);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ConvolveExample<E>(int mr, bool paired, Frame frame, int stride, int outH, int outW, int outputs, E[] weights, int[] offsets,
        ReadOnlySpan<E> image, Span<E> output, Tensor<E>? bias) where E : unmanaged, IFloatingPointIeee754<E>
    {
        var framed = frame.Fill(image);
        int positions = outH * outW, taps = frame.Taps, channels = frame.Channels, pitch = frame.Pitch;
        var p = stackalloc E*[ConvTiles.Columns];
        fixed (E* f = framed, w0 = weights, y = output, b0 = bias is { } b ? b.Span : default)
        fixed (int* tapOffsets = offsets)
        {
            for (int o0 = 0; o0 < outputs; o0 += mr)
            {
                E* w = w0 + (long)o0 * taps * channels, shift = b0 == null ? null : b0 + o0;
                for (int q = 0; q < positions; q += ConvTiles.Columns)
                {
                    for (int j = 0; j < ConvTiles.Columns; j++)
                    {
                        // A partial tile's missing columns read the last position again; they are not stored.
                        int position = Math.Min(q + j, positions - 1), oy = position / outW, ox = position - oy * outW;
                        p[j] = f + (long)oy * stride * pitch + (long)ox * stride * channels;
                    }
                    int valid = Math.Min(ConvTiles.Columns, positions - q);
                    E* target = y + (long)q * outputs + o0;
                    // The register width: a paired tile is one register of the width whose two-register tile is 2·mr.
                    int width = paired ? 2 * mr : mr;
                    if (typeof(E) == typeof(double))
                    {
                        double** d = (double**)p;
                        switch (width)
                        {
                            case 16: Tile<Tile512, double>(paired, (double*)w, tapOffsets, taps, channels, d, (double*)shift, (double*)target, outputs, valid); break;
                            case 8: Tile<Tile256, double>(paired, (double*)w, tapOffsets, taps, channels, d, (double*)shift, (double*)target, outputs, valid); break;
                            default: Tile<Tile128, double>(paired, (double*)w, tapOffsets, taps, channels, d, (double*)shift, (double*)target, outputs, valid); break;
                        }
                    }
                    else
                    {
                        float** s = (float**)p;
                        switch (width)
                        {
                            case 32: Tile<Tile512F, float>(paired, (float*)w, tapOffsets, taps, channels, s, (float*)shift, (float*)target, outputs, valid); break;
                            case 16: Tile<Tile256F, float>(paired, (float*)w, tapOffsets, taps, channels, s, (float*)shift, (float*)target, outputs, valid); break;
                            default: Tile<Tile128F, float>(paired, (float*)w, tapOffsets, taps, channels, s, (float*)shift, (float*)target, outputs, valid); break;
                        }
                    }
                }
            }
        }
    }

    /// <summary>One tile of six positions: two registers of output channels, or one summing input channels in pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile<T, F>(bool paired, F* w, int* offsets, int taps, int channels, F** p, F* shift, F* target, int outputs, int valid)
        where T : struct, ITileLanes<T, F> where F : unmanaged
    {
        if (paired) ConvTiles.ConvolvePairs<T, F>(w, offsets, taps, channels, p[0], p[1], p[2], p[3], p[4], p[5], shift, target, outputs, valid);
        else ConvTiles.Convolve<T, F>(w, offsets, taps, channels, p[0], p[1], p[2], p[3], p[4], p[5], shift, target, outputs, valid);
    }

    /// <summary>
    /// ∂J/∂kernel = Σ over examples and positions of patch·G. The kernel's (tap, channel) rows are cut in tiles of six
    /// by the output channels' tiles; each tile is owned by one thread and sums every example in order, position by
    /// position, so the result does not depend on the split.
    /// </summary>
    public static void KernelGradient<E>(ConvGeometry g, Tensor<E> x, Tensor<E> upstream, Tensor<E> dKernel) where E : unmanaged, IFloatingPointIeee754<E>
    {
        int mr = TileChannels<E>(g.K), length = g.PatchLength, m = x.Columns;
        var frame = new Frame(g.H, g.W, g.C, g.Padding, g.Padding, g.FH, g.FW, g.Dilation);
        var offsets = frame.TapOffsets();
        // The sums as (element, channel): a tile's six elements are six rows of contiguous channels.
        var sums = ScratchPool<E>.Shared.Rent(length * g.K);
        sums.AsSpan(0, length * g.K).Clear();
        int rowTiles = (length + ConvTiles.Columns - 1) / ConvTiles.Columns, tiles = rowTiles * (g.K / mr);
        long work = g.WorkPerExample * m;
        int parts = work < ConvBlocks.ParallelWork ? 1 : Math.Min(ConvBlocks.MaxThreads, tiles);
        ConvBlocks.Run(parts, work, (mr, g, frame, offsets, x, upstream, sums, rowTiles, tiles, parts, m), static (s, part) =>
        {
            var (mr, g, frame, offsets, x, upstream, sums, rowTiles, tiles, parts, m) = s;
            int first = (int)((long)tiles * part / parts), last = (int)((long)tiles * (part + 1) / parts);
            for (int e = 0; e < m; e++)
                CorrelateExample(mr, g, frame, offsets, x.Span.Slice(e * g.InputRows, g.InputRows), upstream.Span.Slice(e * g.OutputRows, g.OutputRows), sums, rowTiles, first, last);
        });
        var result = dKernel.Span;
        for (int k = 0; k < length; k++)
            for (int o = 0; o < g.K; o++) result[o * length + k] = sums[k * g.K + o];
        ScratchPool<E>.Shared.Return(sums);
        ScratchPool<int>.Shared.Return(offsets);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void CorrelateExample<E>(int mr, ConvGeometry g, Frame frame, int[] offsets, ReadOnlySpan<E> image, ReadOnlySpan<E> upstream,
        E[] sums, int rowTiles, int first, int last) where E : unmanaged, IFloatingPointIeee754<E>
    {
        if (first >= last) return;
        var framed = frame.Fill(image);
        int length = g.PatchLength, rowStep = g.Stride * frame.Pitch, columnStep = g.Stride * g.C, band = BandRows<E>(mr, g, frame);
        int positions = g.OutH * g.OutW, firstTile = first / rowTiles;
        var p = stackalloc E*[ConvTiles.Columns];
        fixed (E* f = framed, s0 = sums)
        {
            E* packed = PackGradientTiles(upstream, mr, g.K, positions, firstTile, (last - 1) / rowTiles);
            // Every tile passes over a band of output rows while the band's image rows and gradients stay in the L1 cache;
            // a whole example (tens of KB) would come from L2 for every tile, which feeds the FMAs too slowly.
            for (int row0 = 0; row0 < g.OutH; row0 += band)
            {
                int rows = Math.Min(band, g.OutH - row0);
                E* fb = f + (long)row0 * rowStep;
                for (int tile = first; tile < last; tile++)
                {
                    int o0 = tile / rowTiles * mr, k0 = tile % rowTiles * ConvTiles.Columns;
                    for (int j = 0; j < ConvTiles.Columns; j++)
                    {
                        int k = Math.Min(k0 + j, length - 1), t = k / g.C;
                        p[j] = fb + offsets[t] + (k - t * g.C);
                    }
                    int valid = Math.Min(ConvTiles.Columns, length - k0);
                    E* s = s0 + (long)k0 * g.K + o0, a = packed + ((long)(tile / rowTiles - firstTile) * positions + (long)row0 * g.OutW) * mr;
                    if (typeof(E) == typeof(double))
                    {
                        double** d = (double**)p;
                        switch (mr)
                        {
                            case 16: ConvTiles.Correlate<Tile512, double>((double*)a, mr, rows, g.OutW, rowStep, columnStep, d[0], d[1], d[2], d[3], d[4], d[5], (double*)s, g.K, valid); break;
                            case 8: ConvTiles.Correlate<Tile256, double>((double*)a, mr, rows, g.OutW, rowStep, columnStep, d[0], d[1], d[2], d[3], d[4], d[5], (double*)s, g.K, valid); break;
                            default: ConvTiles.Correlate<Tile128, double>((double*)a, mr, rows, g.OutW, rowStep, columnStep, d[0], d[1], d[2], d[3], d[4], d[5], (double*)s, g.K, valid); break;
                        }
                    }
                    else
                    {
                        float** f32 = (float**)p;
                        switch (mr)
                        {
                            case 32: ConvTiles.Correlate<Tile512F, float>((float*)a, mr, rows, g.OutW, rowStep, columnStep, f32[0], f32[1], f32[2], f32[3], f32[4], f32[5], (float*)s, g.K, valid); break;
                            case 16: ConvTiles.Correlate<Tile256F, float>((float*)a, mr, rows, g.OutW, rowStep, columnStep, f32[0], f32[1], f32[2], f32[3], f32[4], f32[5], (float*)s, g.K, valid); break;
                            default: ConvTiles.Correlate<Tile128F, float>((float*)a, mr, rows, g.OutW, rowStep, columnStep, f32[0], f32[1], f32[2], f32[3], f32[4], f32[5], (float*)s, g.K, valid); break;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The gradients of output-channel tiles <paramref name="firstTile"/> … <paramref name="lastTile"/>, each tile's
    /// positions one after another with its channels contiguous, in this thread's pinned buffer from a cache-line
    /// boundary: the tiles then read them as a stream of whole lines, not a part of every position's row of channels.
    /// </summary>
    private static unsafe E* PackGradientTiles<E>(ReadOnlySpan<E> upstream, int mr, int channels, int positions, int firstTile, int lastTile) where E : unmanaged
    {
        int length = (lastTile - firstTile + 1) * positions * mr;
        ref var buffer = ref GradientTiles<E>.Value;
        if (buffer is null || buffer.Length < length + 64 / Unsafe.SizeOf<E>()) buffer = GC.AllocateUninitializedArray<E>(length + 64 / Unsafe.SizeOf<E>(), pinned: true);
        E* packed = (E*)(((nint)Unsafe.AsPointer(ref buffer[0]) + 63) & ~(nint)63);
        E* target = packed;
        for (int tile = firstTile; tile <= lastTile; tile++)
            for (int q = 0; q < positions; q++, target += mr) upstream.Slice(q * channels + tile * mr, mr).CopyTo(new Span<E>(target, mr));
        return packed;
    }

    /// <summary>
    /// Output rows a kernel gradient's band holds: as many as keep the image rows they read and one tile's gradients
    /// within <see cref="BandBytes"/> (at least one row).
    /// </summary>
    private static int BandRows<E>(int mr, ConvGeometry g, Frame frame) where E : unmanaged
    {
        int size = Unsafe.SizeOf<E>(), reach = g.Dilation * (g.FH - 1) + 1;
        for (int rows = g.OutH; rows > 1; rows--)
        {
            long bytes = (long)((rows - 1) * g.Stride + reach) * frame.Pitch * size + (long)rows * g.OutW * mr * size;
            if (bytes <= BandBytes) return rows;
        }
        return 1;
    }

    /// <summary>What a band may take of the L1 data cache (32 KB or more on every x64 core of the last decade), leaving room for the sums and the stack.</summary>
    private const int BandBytes = 32 * 1024;

    /// <summary>
    /// An example inside a zero border: Height × Width positions of Channels values, PadH rows above and below,
    /// PadW positions left and right; and the offsets of an FH × FW kernel's taps (dilated) from a patch's corner.
    /// </summary>
    private readonly record struct Frame(int Height, int Width, int Channels, int PadH, int PadW, int FH, int FW, int Dilation)
    {
        /// <summary>Doubles from one row of the frame to the next.</summary>
        public int Pitch => (Width + 2 * PadW) * Channels;

        public int Taps => FH * FW;

        /// <summary>The taps' offsets, in an array from the scratch pool (return it when done).</summary>
        public int[] TapOffsets()
        {
            var offsets = ScratchPool<int>.Shared.Rent(Taps);
            for (int ky = 0; ky < FH; ky++)
                for (int kx = 0; kx < FW; kx++) offsets[ky * FW + kx] = ky * Dilation * Pitch + kx * Dilation * Channels;
            return offsets;
        }

        /// <summary>This thread's frame holding <paramref name="image"/>; valid until the thread's next call.</summary>
        public Span<E> Fill<E>(ReadOnlySpan<E> image) where E : unmanaged
        {
            int size = (Height + 2 * PadH) * Pitch, row = Width * Channels;
            ref var buffer = ref FrameBuffer<E>.Value;
            if (buffer is null || buffer.Length < size) buffer = GC.AllocateUninitializedArray<E>(size);
            var frame = buffer.AsSpan(0, size);
            frame[..(PadH * Pitch + PadW * Channels)].Clear();
            for (int y = 0; y < Height; y++)
            {
                int at = (y + PadH) * Pitch + PadW * Channels;
                image.Slice(y * row, row).CopyTo(frame.Slice(at, row));
                // The right border of this row and the left border of the next are adjacent.
                frame.Slice(at + row, Math.Min(2 * PadW * Channels, size - at - row)).Clear();
            }
            frame[((Height + PadH) * Pitch)..].Clear();
            return frame;
        }
    }
}

/// <summary>Each thread's packed gradient tiles, one buffer per element type, pinned (it is read through a pointer, aligned once).</summary>
internal static class GradientTiles<E> where E : unmanaged
{
    [ThreadStatic] public static E[]? Value;
}

/// <summary>Each thread's frame buffer, one per element type.</summary>
internal static class FrameBuffer<E> where E : unmanaged
{
    [ThreadStatic] public static E[]? Value;
}
