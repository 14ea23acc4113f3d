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

    /// <summary>
    /// sum (tap, channel) += this example's pixel·G, positions in storage order. Channel vectors go two at a time (the
    /// last alone), four taps each, so that eight (or four) running sums hide the FMA's latency whatever K is: one
    /// running sum per (tap, vector) waited on itself at every position (float32 K = 16 ran at a third of the speed).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ExampleGradient<E>(ConvGeometry g, ReadOnlySpan<E> image, ReadOnlySpan<E> upstream, Span<E> sum) where E : unmanaged, IFloatingPointIeee754<E>
    {
        var frame = Frame(g, image, out int pw);
        int vectors = g.K / Vector<E>.Count, s = g.Stride, taps = g.PatchLength;
        var gs = MemoryMarshal.Cast<E, Vector<E>>(upstream);
        var acc = MemoryMarshal.Cast<E, Vector<E>>(sum);
        fixed (E* f = frame)
        fixed (Vector<E>* g0 = gs, a0 = acc)
            for (int v0 = 0; v0 < vectors;)
            {
                int group = Group(vectors - v0), t = 0;
                for (; t + 3 < taps; t += 4)
                    FourTaps(g, f, pw, Shift(g, pw, t), Shift(g, pw, t + 1), Shift(g, pw, t + 2), Shift(g, pw, t + 3), g0 + v0, vectors, a0 + t * vectors + v0, group == 2);
                for (; t < taps; t++)
                {
                    int shift = Shift(g, pw, t);
                    for (int v = v0; v < v0 + group; v++)
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
                v0 += group;
            }
    }

    /// <summary>Channel vectors a kernel takes at once from the <paramref name="left"/> still to do: two, or the last one.</summary>
    private static int Group(int left) => left >= 2 ? 2 : 1;

    /// <summary>Where tap t of the kernel reads, relative to an output position's first pixel in the frame.</summary>
    private static int Shift(ConvGeometry g, int pw, int t)
    {
        int ky = t / g.FW, kx = t - ky * g.FW;
        return ky * g.Dilation * pw + kx * g.Dilation;
    }

    /// <summary>
    /// Four taps (their reads at <paramref name="shift0"/> … <paramref name="shift3"/> from a position), channel vectors
    /// <paramref name="gradient"/>[0] and [1] (<paramref name="twoVectors"/>) or [0] alone: eight or four running sums
    /// over the example's positions, kept at <paramref name="sums"/>[0], [vectors], [2·vectors], [3·vectors] (and +1).
    /// Pointers, not spans: with bounds checks and the geometry re-read at every position it ran at a third of the FMA peak.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FourTaps<E>(ConvGeometry g, E* frame, int pw, int shift0, int shift1, int shift2, int shift3,
        Vector<E>* gradient, int vectors, Vector<E>* sums, bool twoVectors) where E : unmanaged, IFloatingPointIeee754<E>
    {
        int s = g.Stride, outH = g.OutH, outW = g.OutW;
        long rowStep = (long)s * pw;
        Vector<E> a0 = sums[0], a1 = sums[vectors], a2 = sums[2 * vectors], a3 = sums[3 * vectors];
        if (twoVectors)
        {
            Vector<E> b0 = sums[1], b1 = sums[vectors + 1], b2 = sums[2 * vectors + 1], b3 = sums[3 * vectors + 1];
            for (int oy = 0; oy < outH; oy++)
            {
                E* q = frame + oy * rowStep;
                for (int ox = 0; ox < outW; ox++, q += s, gradient += vectors)
                {
                    Vector<E> p0 = new(q[shift0]), p1 = new(q[shift1]), p2 = new(q[shift2]), p3 = new(q[shift3]);
                    Vector<E> g0 = gradient[0], g1 = gradient[1];
                    a0 = Fma(p0, g0, a0); a1 = Fma(p1, g0, a1); a2 = Fma(p2, g0, a2); a3 = Fma(p3, g0, a3);
                    b0 = Fma(p0, g1, b0); b1 = Fma(p1, g1, b1); b2 = Fma(p2, g1, b2); b3 = Fma(p3, g1, b3);
                }
            }
            sums[1] = b0; sums[vectors + 1] = b1; sums[2 * vectors + 1] = b2; sums[3 * vectors + 1] = b3;
        }
        else
            for (int oy = 0; oy < outH; oy++)
            {
                E* q = frame + oy * rowStep;
                for (int ox = 0; ox < outW; ox++, q += s, gradient += vectors)
                {
                    var g0 = gradient[0];
                    a0 = Fma(new Vector<E>(q[shift0]), g0, a0); a1 = Fma(new Vector<E>(q[shift1]), g0, a1);
                    a2 = Fma(new Vector<E>(q[shift2]), g0, a2); a3 = Fma(new Vector<E>(q[shift3]), g0, a3);
                }
            }
        sums[0] = a0; sums[vectors] = a1; sums[2 * vectors] = a2; sums[3 * vectors] = a3;
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

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Example<E>(ConvGeometry g, ReadOnlySpan<E> image, E[] weights, Span<E> output) where E : unmanaged, IFloatingPointIeee754<E>
    {
        // The image copied into a zero border first: every tap then reads a pixel (padding reads 0, as im2col's
        // zeros), so the loops have no edge tests and four positions can share each tap's weights.
        var frame = Frame(g, image, out int pw);
        int vectors = g.K / Vector<E>.Count, s = g.Stride, taps = g.PatchLength;
        var w = MemoryMarshal.Cast<E, Vector<E>>(weights.AsSpan(0, taps * g.K));
        var outputs = MemoryMarshal.Cast<E, Vector<E>>(output);
        int* shifts = stackalloc int[taps];
        for (int t = 0; t < taps; t++) shifts[t] = Shift(g, pw, t);
        fixed (E* f = frame)
        fixed (Vector<E>* w0 = w, y = outputs)
            for (int oy = 0; oy < g.OutH; oy++)
            {
                int row = oy * s * pw;
                // Two vectors by four positions (the last vector alone): eight (or four) sums in flight at every tap.
                for (int v0 = 0; v0 < vectors;)
                {
                    int group = Group(vectors - v0), ox = 0;
                    for (; ox + 3 < g.OutW; ox += 4)
                        FourPositions(f + row + ox * s, s, shifts, taps, w0 + v0, vectors, y + (oy * g.OutW + ox) * vectors + v0, group == 2);
                    for (; ox < g.OutW; ox++)
                        for (int v = v0; v < v0 + group; v++)
                        {
                            Vector<E> a = default;
                            for (int t = 0; t < taps; t++) a = Fma(new Vector<E>(frame[row + ox * s + shifts[t]]), w[t * vectors + v], a);
                            outputs[(oy * g.OutW + ox) * vectors + v] = a;
                        }
                    v0 += group;
                }
            }
    }

    /// <summary>
    /// Four positions (<paramref name="first"/> and every <paramref name="stride"/> after it), channel vectors
    /// <paramref name="weights"/>[0] and [1] of each tap (<paramref name="twoVectors"/>) or [0] alone: eight or four
    /// accumulators, the taps in order, written to <paramref name="output"/>[0], [vectors], [2·vectors], [3·vectors] (and +1).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FourPositions<E>(E* first, int stride, int* shifts, int taps, Vector<E>* weights, int vectors, Vector<E>* output, bool twoVectors)
        where E : unmanaged, IFloatingPointIeee754<E>
    {
        Vector<E> a0 = default, a1 = default, a2 = default, a3 = default;
        E* second = first + stride, third = second + stride, fourth = third + stride;
        if (twoVectors)
        {
            Vector<E> b0 = default, b1 = default, b2 = default, b3 = default;
            for (int t = 0; t < taps; t++, weights += vectors)
            {
                int at = shifts[t];
                Vector<E> p0 = new(first[at]), p1 = new(second[at]), p2 = new(third[at]), p3 = new(fourth[at]);
                Vector<E> w0 = weights[0], w1 = weights[1];
                a0 = Fma(p0, w0, a0); a1 = Fma(p1, w0, a1); a2 = Fma(p2, w0, a2); a3 = Fma(p3, w0, a3);
                b0 = Fma(p0, w1, b0); b1 = Fma(p1, w1, b1); b2 = Fma(p2, w1, b2); b3 = Fma(p3, w1, b3);
            }
            output[1] = b0; output[vectors + 1] = b1; output[2 * vectors + 1] = b2; output[3 * vectors + 1] = b3;
        }
        else
            for (int t = 0; t < taps; t++, weights += vectors)
            {
                int at = shifts[t];
                var w0 = weights[0];
                a0 = Fma(new Vector<E>(first[at]), w0, a0); a1 = Fma(new Vector<E>(second[at]), w0, a1);
                a2 = Fma(new Vector<E>(third[at]), w0, a2); a3 = Fma(new Vector<E>(fourth[at]), w0, a3);
            }
        output[0] = a0; output[vectors] = a1; output[2 * vectors] = a2; output[3 * vectors] = a3;
    }

    /// <summary>a·b + c, fused: <see cref="Vector"/> has the double and float forms, not a generic one.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector<E> Fma<E>(Vector<E> a, Vector<E> b, Vector<E> c) where E : unmanaged, IFloatingPointIeee754<E> =>
        typeof(E) == typeof(double)
            ? Vector.As<double, E>(Vector.FusedMultiplyAdd(Vector.As<E, double>(a), Vector.As<E, double>(b), Vector.As<E, double>(c)))
            : Vector.As<float, E>(Vector.FusedMultiplyAdd(Vector.As<E, float>(a), Vector.As<E, float>(b), Vector.As<E, float>(c)));
}
