using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// The convolution of a one-channel input (MNIST's first layer) without im2col: its patches are FH·FW long (25 for
/// 5×5), too short for a GEMM to pay for packing them, so each output position's K channels are accumulated in
/// vector registers, tap by tap in (ky, kx) order, one example per unit of work (bit-identical on any number of cores).
/// </summary>
internal static class ConvDirect
{
    /// <summary>Channels a unit keeps in registers at once: four vectors.</summary>
    private const int GroupVectors = 4;

    /// <summary>Whether <see cref="Forward"/> takes this convolution: one input channel and whole vectors of output channels.</summary>
    public static bool Fits<E>(ConvGeometry g, Tensor<E> kernel) where E : unmanaged, IFloatingPointIeee754<E> =>
        Vector.IsHardwareAccelerated && g.C == 1 && g.K % Vector<E>.Count == 0 && kernel.IsContiguous;

    /// <summary>y = conv(x, kernel) + bias, the bias added after the taps' sum (as the im2col path does).</summary>
    public static void Forward<E>(ConvGeometry g, Tensor<E> x, Tensor<E> kernel, Tensor<E>? bias, Tensor<E> y) where E : unmanaged, IFloatingPointIeee754<E>
    {
        int taps = g.PatchLength, k = g.K, m = x.Columns;
        // The kernel transposed to (tap, channel), so that a tap's K weights are contiguous vectors.
        var weights = ScratchPool<E>.Shared.Rent(taps * k);
        var stored = kernel.Span;
        for (int t = 0; t < taps; t++)
            for (int o = 0; o < k; o++) weights[t * k + o] = stored[o * taps + t];
        // The bias is added example by example, on the thread that wrote the example, while it is still in cache.
        ConvBlocks.Run(m, g.WorkPerExample * m, (g, x, y, weights, bias, k), static (s, e) =>
        {
            var output = s.y.Span.Slice(e * s.g.OutputRows, s.g.OutputRows);
            Example(s.g, s.x.Span.Slice(e * s.g.InputRows, s.g.InputRows), s.weights, output);
            if (s.bias is { } b) ChannelVectors.AddToEach(b.Span, output, s.k);
        });
        ScratchPool<E>.Shared.Return(weights);
    }

    /// <summary>The most partial sums the kernel gradient keeps (a constant: the sum's order is the same on any machine).</summary>
    private const int Chunks = 8;

    /// <summary>
    /// ∂J/∂kernel = Σ over examples and positions of pixel·G: the examples cut into at most <see cref="Chunks"/> fixed
    /// runs, each summed in example order into a (tap, channel) partial, and the partials added in order.
    /// </summary>
    public static void KernelGradient<E>(ConvGeometry g, Tensor<E> x, Tensor<E> upstream, Tensor<E> dKernel) where E : unmanaged, IFloatingPointIeee754<E>
    {
        int taps = g.PatchLength, k = g.K, m = x.Columns, size = taps * k, chunks = Math.Min(Chunks, m);
        var partials = ScratchPool<E>.Shared.Rent(Math.Max(1, chunks) * size);
        partials.AsSpan(0, Math.Max(1, chunks) * size).Clear();
        ConvBlocks.Run(chunks, g.WorkPerExample * m, (g, x, upstream, partials, size, m, chunks), static (s, chunk) =>
        {
            var (g, x, upstream, partials, size, m, chunks) = s;
            var sum = partials.AsSpan(chunk * size, size);
            for (int e = m * chunk / chunks; e < m * (chunk + 1) / chunks; e++)
                ExampleGradient(g, x.Span.Slice(e * g.InputRows, g.InputRows), upstream.Span.Slice(e * g.OutputRows, g.OutputRows), sum);
        });
        var total = partials.AsSpan(0, size);
        for (int c = 1; c < chunks; c++) System.Numerics.Tensors.TensorPrimitives.Add(total, partials.AsSpan(c * size, size), total);
        var result = dKernel.Span;
        for (int t = 0; t < taps; t++)
            for (int o = 0; o < k; o++) result[o * taps + t] = total[t * k + o];
        ScratchPool<E>.Shared.Return(partials);
    }

    /// <summary>sum (tap, channel) += this example's pixel·G, positions in storage order; two taps per pass when the channels allow.</summary>
    private static void ExampleGradient<E>(ConvGeometry g, ReadOnlySpan<E> image, ReadOnlySpan<E> upstream, Span<E> sum) where E : unmanaged, IFloatingPointIeee754<E>
    {
        var frame = Frame(g, image, out int pw);
        int vectors = g.K / Vector<E>.Count, d = g.Dilation, s = g.Stride;
        var gs = MemoryMarshal.Cast<E, Vector<E>>(upstream);
        var acc = MemoryMarshal.Cast<E, Vector<E>>(sum);
        int paired = vectors % GroupVectors == 0 ? g.PatchLength & ~1 : 0;
        for (int t = 0; t < paired; t += 2)
            for (int v0 = 0; v0 < vectors; v0 += GroupVectors) TapPair(g, frame, pw, gs, acc, t, v0, vectors);
        for (int t = paired; t < g.PatchLength; t++)
        {
            int ky = t / g.FW, kx = t - ky * g.FW, shift = ky * d * pw + kx * d;
            for (int v = 0; v < vectors; v++)
            {
                var a = acc[t * vectors + v];
                for (int oy = 0; oy < g.OutH; oy++)
                {
                    int row = oy * s * pw + shift, at = oy * g.OutW * vectors + v;
                    for (int ox = 0; ox < g.OutW; ox++, at += vectors)
                        a = Fma(new Vector<E>(frame[row + ox * s]), gs[at], a);
                }
                acc[t * vectors + v] = a;
            }
        }
    }

    /// <summary>Taps t and t+1, channel vectors v0 … v0+3: eight running sums over the example's positions.</summary>
    private static void TapPair<E>(ConvGeometry g, ReadOnlySpan<E> frame, int pw, ReadOnlySpan<Vector<E>> gs, Span<Vector<E>> acc, int t, int v0, int vectors)
        where E : unmanaged, IFloatingPointIeee754<E>
    {
        int d = g.Dilation, s = g.Stride;
        int ky = t / g.FW, kx = t - ky * g.FW, shift = ky * d * pw + kx * d;
        int ky2 = (t + 1) / g.FW, kx2 = t + 1 - ky2 * g.FW, shift2 = ky2 * d * pw + kx2 * d;
        int i = t * vectors + v0, j = i + vectors;
        Vector<E> a0 = acc[i], a1 = acc[i + 1], a2 = acc[i + 2], a3 = acc[i + 3], b0 = acc[j], b1 = acc[j + 1], b2 = acc[j + 2], b3 = acc[j + 3];
        for (int oy = 0; oy < g.OutH; oy++)
        {
            int row = oy * s * pw, at = oy * g.OutW * vectors + v0;
            for (int ox = 0; ox < g.OutW; ox++, at += vectors)
            {
                var p = new Vector<E>(frame[row + ox * s + shift]);
                var q = new Vector<E>(frame[row + ox * s + shift2]);
                Vector<E> g0 = gs[at], g1 = gs[at + 1], g2 = gs[at + 2], g3 = gs[at + 3];
                a0 = Fma(p, g0, a0);
                a1 = Fma(p, g1, a1);
                a2 = Fma(p, g2, a2);
                a3 = Fma(p, g3, a3);
                b0 = Fma(q, g0, b0);
                b1 = Fma(q, g1, b1);
                b2 = Fma(q, g2, b2);
                b3 = Fma(q, g3, b3);
            }
        }
        acc[i] = a0; acc[i + 1] = a1; acc[i + 2] = a2; acc[i + 3] = a3;
        acc[j] = b0; acc[j + 1] = b1; acc[j + 2] = b2; acc[j + 3] = b3;
    }

    /// <summary>This thread's copy of <paramref name="image"/> inside a zero border of the padding's width, and its row length.</summary>
    private static Span<E> Frame<E>(ConvGeometry g, ReadOnlySpan<E> image, out int pw) where E : unmanaged
    {
        pw = g.W + 2 * g.Padding;
        int ph = g.H + 2 * g.Padding;
        ref var padded = ref FrameBuffer<E>.Value;
        if (padded is null || padded.Length < ph * pw) padded = new E[ph * pw];
        var frame = padded.AsSpan(0, ph * pw);
        frame.Clear();
        for (int iy = 0; iy < g.H; iy++) image.Slice(iy * g.W, g.W).CopyTo(frame.Slice((iy + g.Padding) * pw + g.Padding, g.W));
        return frame;
    }

    private static void Example<E>(ConvGeometry g, ReadOnlySpan<E> image, E[] weights, Span<E> output) where E : unmanaged, IFloatingPointIeee754<E>
    {
        // The image copied into a zero border first: every tap then reads a pixel (padding reads 0, as im2col's
        // zeros), so the loops have no edge tests and two positions can share each tap's weights.
        var frame = Frame(g, image, out int pw);
        int vectors = g.K / Vector<E>.Count, d = g.Dilation, s = g.Stride;
        var w = MemoryMarshal.Cast<E, Vector<E>>(weights.AsSpan(0, g.PatchLength * g.K));
        var outputs = MemoryMarshal.Cast<E, Vector<E>>(output);
        for (int oy = 0; oy < g.OutH; oy++)
        {
            int row = oy * s * pw;
            for (int v0 = 0; v0 < vectors; v0 += GroupVectors)
            {
                int ox = 0;
                if (vectors - v0 >= GroupVectors)
                    for (; ox + 1 < g.OutW; ox += 2) Pair(g, frame, w, outputs, row, pw, ox, oy, v0, vectors);
                for (; ox < g.OutW; ox++)
                    for (int v = v0; v < Math.Min(vectors, v0 + GroupVectors); v++)
                    {
                        Vector<E> a = default;
                        for (int ky = 0; ky < g.FH; ky++)
                            for (int kx = 0; kx < g.FW; kx++)
                                a = Fma(new Vector<E>(frame[row + ky * d * pw + ox * s + kx * d]), w[(ky * g.FW + kx) * vectors + v], a);
                        outputs[(oy * g.OutW + ox) * vectors + v] = a;
                    }
            }
        }
    }

    /// <summary>Positions ox and ox+1 of row oy, channel vectors v0 … v0+3: eight accumulators, each tap's four weight vectors read once.</summary>
    private static void Pair<E>(ConvGeometry g, ReadOnlySpan<E> frame, ReadOnlySpan<Vector<E>> w, Span<Vector<E>> outputs,
        int row, int pw, int ox, int oy, int v0, int vectors) where E : unmanaged, IFloatingPointIeee754<E>
    {
        int d = g.Dilation, first = row + ox * g.Stride, second = first + g.Stride;
        Vector<E> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        for (int ky = 0; ky < g.FH; ky++)
        {
            int line = ky * d * pw;
            for (int kx = 0; kx < g.FW; kx++)
            {
                int at = line + kx * d, tap = (ky * g.FW + kx) * vectors + v0;
                var p = new Vector<E>(frame[first + at]);
                var q = new Vector<E>(frame[second + at]);
                Vector<E> w0 = w[tap], w1 = w[tap + 1], w2 = w[tap + 2], w3 = w[tap + 3];
                a0 = Fma(p, w0, a0);
                a1 = Fma(p, w1, a1);
                a2 = Fma(p, w2, a2);
                a3 = Fma(p, w3, a3);
                b0 = Fma(q, w0, b0);
                b1 = Fma(q, w1, b1);
                b2 = Fma(q, w2, b2);
                b3 = Fma(q, w3, b3);
            }
        }
        int o = (oy * g.OutW + ox) * vectors + v0, o2 = o + vectors;
        outputs[o] = a0; outputs[o + 1] = a1; outputs[o + 2] = a2; outputs[o + 3] = a3;
        outputs[o2] = b0; outputs[o2 + 1] = b1; outputs[o2 + 2] = b2; outputs[o2 + 3] = b3;
    }

    /// <summary>a·b + c, fused: <see cref="Vector"/> has the double and float forms, not a generic one.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector<E> Fma<E>(Vector<E> a, Vector<E> b, Vector<E> c) where E : unmanaged, IFloatingPointIeee754<E> =>
        typeof(E) == typeof(double)
            ? Vector.As<double, E>(Vector.FusedMultiplyAdd(Vector.As<E, double>(a), Vector.As<E, double>(b), Vector.As<E, double>(c)))
            : Vector.As<float, E>(Vector.FusedMultiplyAdd(Vector.As<E, float>(a), Vector.As<E, float>(b), Vector.As<E, float>(c)));
}
