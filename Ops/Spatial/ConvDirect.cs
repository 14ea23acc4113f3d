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
    public static bool Fits(ConvGeometry g, Tensor kernel) =>
        Vector.IsHardwareAccelerated && g.C == 1 && g.K % Vector<double>.Count == 0 && kernel.IsContiguous;

    /// <summary>y = conv(x, kernel) + bias, the bias added after the taps' sum (as the im2col path does).</summary>
    public static void Forward(ConvGeometry g, Tensor x, Tensor kernel, Tensor? bias, Tensor y)
    {
        int taps = g.PatchLength, k = g.K, m = x.Columns;
        // The kernel transposed to (tap, channel), so that a tap's K weights are contiguous vectors.
        var weights = ArrayPool<double>.Shared.Rent(taps * k);
        var stored = kernel.Span;
        for (int t = 0; t < taps; t++)
            for (int o = 0; o < k; o++) weights[t * k + o] = stored[o * taps + t];
        ConvBlocks.Run(m, g.WorkPerExample * m, e => Example(g, x.Span.Slice(e * g.InputRows, g.InputRows), weights, y.Span.Slice(e * g.OutputRows, g.OutputRows)));
        ArrayPool<double>.Shared.Return(weights);
        if (bias is { } b) ChannelVectors.AddToEach(b.Span, y.Span, k);
    }

    private static void Example(ConvGeometry g, ReadOnlySpan<double> image, double[] weights, Span<double> output)
    {
        int k = g.K, vectors = k / Vector<double>.Count, d = g.Dilation;
        var w = MemoryMarshal.Cast<double, Vector<double>>(weights.AsSpan(0, g.PatchLength * k));
        var outputs = MemoryMarshal.Cast<double, Vector<double>>(output);
        for (int oy = 0; oy < g.OutH; oy++)
            for (int ox = 0; ox < g.OutW; ox++)
            {
                int y0 = oy * g.Stride - g.Padding, x0 = ox * g.Stride - g.Padding, at = (oy * g.OutW + ox) * vectors;
                for (int v0 = 0; v0 < vectors; v0 += GroupVectors)
                {
                    int group = Math.Min(GroupVectors, vectors - v0);
                    Vector<double> a0 = default, a1 = default, a2 = default, a3 = default;
                    for (int ky = 0; ky < g.FH; ky++)
                    {
                        int iy = y0 + ky * d;
                        if ((uint)iy >= (uint)g.H) continue;
                        for (int kx = 0; kx < g.FW; kx++)
                        {
                            int ix = x0 + kx * d;
                            if ((uint)ix >= (uint)g.W) continue;
                            var pixel = new Vector<double>(image[iy * g.W + ix]);
                            int tap = (ky * g.FW + kx) * vectors + v0;
                            a0 = Vector.FusedMultiplyAdd(pixel, w[tap], a0);
                            if (group > 1) a1 = Vector.FusedMultiplyAdd(pixel, w[tap + 1], a1);
                            if (group > 2) a2 = Vector.FusedMultiplyAdd(pixel, w[tap + 2], a2);
                            if (group > 3) a3 = Vector.FusedMultiplyAdd(pixel, w[tap + 3], a3);
                        }
                    }
                    outputs[at + v0] = a0;
                    if (group > 1) outputs[at + v0 + 1] = a1;
                    if (group > 2) outputs[at + v0 + 2] = a2;
                    if (group > 3) outputs[at + v0 + 3] = a3;
                }
            }
    }
}
