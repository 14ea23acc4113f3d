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
    private static void ExampleGradient<E>(ConvGeometry g, ReadOnlySpan<E> image, ReadOnlySpan<E> upstream, Span<E> sum) where E : unmanaged, IFloatingPointIeee754<E>
    {
        var frame = Frame(g, image, out int pw);
        int vectors = g.K / Vector<E>.Count, d = g.Dilation, s = g.Stride, taps = g.PatchLength;
        var gs = MemoryMarshal.Cast<E, Vector<E>>(upstream);
        var acc = MemoryMarshal.Cast<E, Vector<E>>(sum);
        for (int v0 = 0; v0 < vectors;)
        {
            int group = Group(vectors - v0), t = 0;
            if (group == 2) for (; t + 3 < taps; t += 4) FourTaps(g, frame, pw, gs, acc, t, v0, vectors, twoVectors: true);
            else for (; t + 3 < taps; t += 4) FourTaps(g, frame, pw, gs, acc, t, v0, vectors, twoVectors: false);
            for (; t < taps; t++)
            {
                int ky = t / g.FW, kx = t - ky * g.FW, shift = ky * d * pw + kx * d;
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

    /// <summary>Taps t … t+3, channel vectors v0 and v0+1 (<paramref name="twoVectors"/>) or v0 alone: eight or four running sums over the example's positions.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void FourTaps<E>(ConvGeometry g, ReadOnlySpan<E> frame, int pw, ReadOnlySpan<Vector<E>> gs, Span<Vector<E>> acc, int t, int v0, int vectors, bool twoVectors)
        where E : unmanaged, IFloatingPointIeee754<E>
    {
        int s = g.Stride, shift0 = Shift(g, pw, t), shift1 = Shift(g, pw, t + 1), shift2 = Shift(g, pw, t + 2), shift3 = Shift(g, pw, t + 3);
        int i0 = t * vectors + v0, i1 = i0 + vectors, i2 = i1 + vectors, i3 = i2 + vectors;
        Vector<E> a0 = acc[i0], a1 = acc[i1], a2 = acc[i2], a3 = acc[i3];
        Vector<E> b0 = twoVectors ? acc[i0 + 1] : default, b1 = twoVectors ? acc[i1 + 1] : default, b2 = twoVectors ? acc[i2 + 1] : default, b3 = twoVectors ? acc[i3 + 1] : default;
        for (int oy = 0; oy < g.OutH; oy++)
        {
            int row = oy * s * pw, at = oy * g.OutW * vectors + v0;
            for (int ox = 0; ox < g.OutW; ox++, at += vectors)
            {
                int first = row + ox * s;
                var p0 = new Vector<E>(frame[first + shift0]);
                var p1 = new Vector<E>(frame[first + shift1]);
                var p2 = new Vector<E>(frame[first + shift2]);
                var p3 = new Vector<E>(frame[first + shift3]);
                var g0 = gs[at];
                a0 = Fma(p0, g0, a0);
                a1 = Fma(p1, g0, a1);
                a2 = Fma(p2, g0, a2);
                a3 = Fma(p3, g0, a3);
                if (twoVectors)
                {
                    var g1 = gs[at + 1];
                    b0 = Fma(p0, g1, b0);
                    b1 = Fma(p1, g1, b1);
                    b2 = Fma(p2, g1, b2);
                    b3 = Fma(p3, g1, b3);
                }
            }
        }
        acc[i0] = a0; acc[i1] = a1; acc[i2] = a2; acc[i3] = a3;
        if (twoVectors) { acc[i0 + 1] = b0; acc[i1 + 1] = b1; acc[i2 + 1] = b2; acc[i3 + 1] = b3; }
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
            // Two vectors by four positions (the last vector alone): eight (or four) sums in flight at every tap.
            for (int v0 = 0; v0 < vectors;)
            {
                int group = Group(vectors - v0), ox = 0;
                if (group == 2) for (; ox + 3 < g.OutW; ox += 4) FourPositions(g, frame, w, outputs, row, pw, ox, oy, v0, vectors, twoVectors: true);
                else for (; ox + 3 < g.OutW; ox += 4) FourPositions(g, frame, w, outputs, row, pw, ox, oy, v0, vectors, twoVectors: false);
                for (; ox < g.OutW; ox++)
                    for (int v = v0; v < v0 + group; v++)
                    {
                        Vector<E> a = default;
                        for (int ky = 0; ky < g.FH; ky++)
                            for (int kx = 0; kx < g.FW; kx++)
                                a = Fma(new Vector<E>(frame[row + ky * d * pw + ox * s + kx * d]), w[(ky * g.FW + kx) * vectors + v], a);
                        outputs[(oy * g.OutW + ox) * vectors + v] = a;
                    }
                v0 += group;
            }
        }
    }

    /// <summary>Positions ox … ox+3 of row oy, channel vectors v0 and v0+1 (<paramref name="twoVectors"/>) or v0 alone: eight or four accumulators.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void FourPositions<E>(ConvGeometry g, ReadOnlySpan<E> frame, ReadOnlySpan<Vector<E>> w, Span<Vector<E>> outputs,
        int row, int pw, int ox, int oy, int v0, int vectors, bool twoVectors) where E : unmanaged, IFloatingPointIeee754<E>
    {
        int d = g.Dilation, s = g.Stride, first = row + ox * s;
        Vector<E> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        for (int ky = 0; ky < g.FH; ky++)
        {
            int line = ky * d * pw;
            for (int kx = 0; kx < g.FW; kx++)
            {
                int at = first + line + kx * d, tap = (ky * g.FW + kx) * vectors + v0;
                var p0 = new Vector<E>(frame[at]);
                var p1 = new Vector<E>(frame[at + s]);
                var p2 = new Vector<E>(frame[at + 2 * s]);
                var p3 = new Vector<E>(frame[at + 3 * s]);
                var w0 = w[tap];
                a0 = Fma(p0, w0, a0);
                a1 = Fma(p1, w0, a1);
                a2 = Fma(p2, w0, a2);
                a3 = Fma(p3, w0, a3);
                if (twoVectors)
                {
                    var w1 = w[tap + 1];
                    b0 = Fma(p0, w1, b0);
                    b1 = Fma(p1, w1, b1);
                    b2 = Fma(p2, w1, b2);
                    b3 = Fma(p3, w1, b3);
                }
            }
        }
        int o = (oy * g.OutW + ox) * vectors + v0;
        outputs[o] = a0; outputs[o + vectors] = a1; outputs[o + 2 * vectors] = a2; outputs[o + 3 * vectors] = a3;
        if (twoVectors) { outputs[o + 1] = b0; outputs[o + vectors + 1] = b1; outputs[o + 2 * vectors + 1] = b2; outputs[o + 3 * vectors + 1] = b3; }
    }

    /// <summary>a·b + c, fused: <see cref="Vector"/> has the double and float forms, not a generic one.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector<E> Fma<E>(Vector<E> a, Vector<E> b, Vector<E> c) where E : unmanaged, IFloatingPointIeee754<E> =>
        typeof(E) == typeof(double)
            ? Vector.As<double, E>(Vector.FusedMultiplyAdd(Vector.As<E, double>(a), Vector.As<E, double>(b), Vector.As<E, double>(c)))
            : Vector.As<float, E>(Vector.FusedMultiplyAdd(Vector.As<E, float>(a), Vector.As<E, float>(b), Vector.As<E, float>(c)));
}
