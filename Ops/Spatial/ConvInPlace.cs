using System.Buffers;
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
    /// <summary>Channels a tile computes (two vectors at the width in use), or 0 when there is no vector path.</summary>
    private static int TileChannels => ConvTiles.Channels;

    /// <summary>Whether <see cref="Forward"/> and <see cref="KernelGradient"/> take this convolution: several input channels, whole tiles of output channels.</summary>
    public static bool Fits(ConvGeometry g) => g.C >= 2 && TileChannels > 0 && g.K % TileChannels == 0;

    /// <summary>Whether <see cref="InputGradient"/> takes it: stride 1, padding no wider than the dilated kernel, whole tiles of input channels.</summary>
    public static bool FitsInputGradient(ConvGeometry g) =>
        g.Stride == 1 && g.Padding <= g.Dilation * (g.FH - 1) && g.Padding <= g.Dilation * (g.FW - 1) && TileChannels > 0 && g.C % TileChannels == 0;

    /// <summary>y = conv(x, kernel) + bias.</summary>
    public static void Forward(ConvGeometry g, Tensor x, Tensor kernel, Tensor? bias, Tensor y)
    {
        int mr = TileChannels;
        var frame = new Frame(g.H, g.W, g.C, g.Padding, g.Padding, g.FH, g.FW, g.Dilation);
        var weights = Pack(mr, kernel.Span, g.PatchLength, g.K, (t, c, o) => o * g.PatchLength + t * g.C + c, frame.Taps, g.C);
        Convolve(mr, frame, g.Stride, g.OutH, g.OutW, g.K, weights, x, y, bias);
        ArrayPool<double>.Shared.Return(weights);
    }

    /// <summary>∂J/∂x for stride 1: the output gradient framed by d(f−1)−p and convolved with the kernel turned half a turn, its channels swapped.</summary>
    public static void InputGradient(ConvGeometry g, Tensor upstream, Tensor kernel, Tensor dx)
    {
        int mr = TileChannels;
        var frame = new Frame(g.OutH, g.OutW, g.K, g.Dilation * (g.FH - 1) - g.Padding, g.Dilation * (g.FW - 1) - g.Padding, g.FH, g.FW, g.Dilation);
        int taps = frame.Taps;
        var weights = Pack(mr, kernel.Span, g.K * taps, g.C, (t, o, ci) => o * g.PatchLength + (taps - 1 - t) * g.C + ci, taps, g.K);
        Convolve(mr, frame, 1, g.H, g.W, g.C, weights, upstream, dx, null);
        ArrayPool<double>.Shared.Return(weights);
    }

    /// <summary>
    /// The weights as the tiles read them: per tile of output channels, for each tap t and input channel c in
    /// order, the tile's channels contiguous; <paramref name="at"/>(t, c, o) is the element's index in storage.
    /// </summary>
    private static double[] Pack(int mr, ReadOnlySpan<double> stored, int length, int outputs, Func<int, int, int, int> at, int taps, int channels)
    {
        var packed = ArrayPool<double>.Shared.Rent(length * outputs);
        int i = 0;
        for (int o0 = 0; o0 < outputs; o0 += mr)
            for (int t = 0; t < taps; t++)
                for (int c = 0; c < channels; c++)
                    for (int o = o0; o < o0 + mr; o++) packed[i++] = stored[at(t, c, o)];
        return packed;
    }

    private static void Convolve(int mr, Frame frame, int stride, int outH, int outW, int outputs, double[] weights, Tensor source, Tensor result, Tensor? bias)
    {
        int m = source.Columns, rows = frame.Height * frame.Width * frame.Channels;
        long work = (long)outH * outW * outputs * frame.Taps * frame.Channels;
        var offsets = frame.TapOffsets();
        ConvBlocks.Run(m, work * m, e => ConvolveExample(mr, frame, stride, outH, outW, outputs, weights, offsets,
            source.Span.Slice(e * rows, rows), result.Span.Slice(e * outH * outW * outputs, outH * outW * outputs), bias));
    }

    private static unsafe void ConvolveExample(int mr, Frame frame, int stride, int outH, int outW, int outputs, double[] weights, int[] offsets,
        ReadOnlySpan<double> image, Span<double> output, Tensor? bias)
    {
        var framed = frame.Fill(image);
        int positions = outH * outW, taps = frame.Taps, channels = frame.Channels, pitch = frame.Pitch;
        var p = stackalloc double*[ConvTiles.Columns];
        fixed (double* f = framed, w0 = weights, y = output, b0 = bias is { } b ? b.Span : default)
        fixed (int* tapOffsets = offsets)
        {
            for (int o0 = 0; o0 < outputs; o0 += mr)
            {
                double* w = w0 + (long)o0 * taps * channels, shift = b0 == null ? null : b0 + o0;
                for (int q = 0; q < positions; q += ConvTiles.Columns)
                {
                    for (int j = 0; j < ConvTiles.Columns; j++)
                    {
                        // A partial tile's missing columns read the last position again; they are not stored.
                        int position = Math.Min(q + j, positions - 1), oy = position / outW, ox = position - oy * outW;
                        p[j] = f + (long)oy * stride * pitch + (long)ox * stride * channels;
                    }
                    int valid = Math.Min(ConvTiles.Columns, positions - q);
                    double* target = y + (long)q * outputs + o0;
                    switch (mr)
                    {
                        case 16: ConvTiles.Convolve<Tile512>(w, tapOffsets, taps, channels, p[0], p[1], p[2], p[3], p[4], p[5], shift, target, outputs, valid); break;
                        case 8: ConvTiles.Convolve<Tile256>(w, tapOffsets, taps, channels, p[0], p[1], p[2], p[3], p[4], p[5], shift, target, outputs, valid); break;
                        default: ConvTiles.Convolve<Tile128>(w, tapOffsets, taps, channels, p[0], p[1], p[2], p[3], p[4], p[5], shift, target, outputs, valid); break;
                    }
                }
            }
        }
    }

    /// <summary>
    /// ∂J/∂kernel = Σ over examples and positions of patch·G. The kernel's (tap, channel) rows are cut in tiles of six
    /// by the output channels' tiles; each tile is owned by one thread and sums every example in order, position by
    /// position, so the result does not depend on the split.
    /// </summary>
    public static void KernelGradient(ConvGeometry g, Tensor x, Tensor upstream, Tensor dKernel)
    {
        int mr = TileChannels, length = g.PatchLength, m = x.Columns;
        var frame = new Frame(g.H, g.W, g.C, g.Padding, g.Padding, g.FH, g.FW, g.Dilation);
        var offsets = frame.TapOffsets();
        // The sums as (element, channel): a tile's six elements are six rows of contiguous channels.
        var sums = ArrayPool<double>.Shared.Rent(length * g.K);
        sums.AsSpan(0, length * g.K).Clear();
        int rowTiles = (length + ConvTiles.Columns - 1) / ConvTiles.Columns, tiles = rowTiles * (g.K / mr);
        long work = g.WorkPerExample * m;
        int parts = work < ConvBlocks.ParallelWork ? 1 : Math.Min(ConvBlocks.MaxThreads, tiles);
        ConvBlocks.Run(parts, work, part =>
        {
            int first = (int)((long)tiles * part / parts), last = (int)((long)tiles * (part + 1) / parts);
            for (int e = 0; e < m; e++)
                CorrelateExample(mr, g, frame, offsets, x.Span.Slice(e * g.InputRows, g.InputRows), upstream.Span.Slice(e * g.OutputRows, g.OutputRows), sums, rowTiles, first, last);
        });
        var result = dKernel.Span;
        for (int k = 0; k < length; k++)
            for (int o = 0; o < g.K; o++) result[o * length + k] = sums[k * g.K + o];
        ArrayPool<double>.Shared.Return(sums);
    }

    private static unsafe void CorrelateExample(int mr, ConvGeometry g, Frame frame, int[] offsets, ReadOnlySpan<double> image, ReadOnlySpan<double> upstream,
        double[] sums, int rowTiles, int first, int last)
    {
        var framed = frame.Fill(image);
        int length = g.PatchLength, rowStep = g.Stride * frame.Pitch, columnStep = g.Stride * g.C;
        var p = stackalloc double*[ConvTiles.Columns];
        fixed (double* f = framed, gradient = upstream, s0 = sums)
        {
            for (int tile = first; tile < last; tile++)
            {
                int o0 = tile / rowTiles * mr, k0 = tile % rowTiles * ConvTiles.Columns;
                for (int j = 0; j < ConvTiles.Columns; j++)
                {
                    int k = Math.Min(k0 + j, length - 1), t = k / g.C;
                    p[j] = f + offsets[t] + (k - t * g.C);
                }
                int valid = Math.Min(ConvTiles.Columns, length - k0);
                double* s = s0 + (long)k0 * g.K + o0, a = gradient + o0;
                switch (mr)
                {
                    case 16: ConvTiles.Correlate<Tile512>(a, g.K, g.OutH, g.OutW, rowStep, columnStep, p[0], p[1], p[2], p[3], p[4], p[5], s, g.K, valid); break;
                    case 8: ConvTiles.Correlate<Tile256>(a, g.K, g.OutH, g.OutW, rowStep, columnStep, p[0], p[1], p[2], p[3], p[4], p[5], s, g.K, valid); break;
                    default: ConvTiles.Correlate<Tile128>(a, g.K, g.OutH, g.OutW, rowStep, columnStep, p[0], p[1], p[2], p[3], p[4], p[5], s, g.K, valid); break;
                }
            }
        }
    }

    /// <summary>
    /// An example inside a zero border: Height × Width positions of Channels values, PadH rows above and below,
    /// PadW positions left and right; and the offsets of an FH × FW kernel's taps (dilated) from a patch's corner.
    /// </summary>
    private readonly record struct Frame(int Height, int Width, int Channels, int PadH, int PadW, int FH, int FW, int Dilation)
    {
        /// <summary>Doubles from one row of the frame to the next.</summary>
        public int Pitch => (Width + 2 * PadW) * Channels;

        public int Taps => FH * FW;

        public int[] TapOffsets()
        {
            var offsets = new int[Taps];
            for (int ky = 0; ky < FH; ky++)
                for (int kx = 0; kx < FW; kx++) offsets[ky * FW + kx] = ky * Dilation * Pitch + kx * Dilation * Channels;
            return offsets;
        }

        [ThreadStatic] private static double[]? buffer;

        /// <summary>This thread's frame holding <paramref name="image"/>; valid until the thread's next call.</summary>
        public Span<double> Fill(ReadOnlySpan<double> image)
        {
            int size = (Height + 2 * PadH) * Pitch, row = Width * Channels;
            if (buffer is null || buffer.Length < size) buffer = GC.AllocateUninitializedArray<double>(size);
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
