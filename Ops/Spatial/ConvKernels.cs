using System.Buffers;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// The convolution's four computations on storage, block by block (<see cref="ConvBlocks"/>), each block one GEMM
/// over im2col patches: the convolution, its input gradient (a transposed convolution), its kernel gradient and its
/// bias gradient. Kernels are (PatchLength × K) matrices, images and output gradients (rows × m).
/// </summary>
internal static class ConvKernels
{
    /// <summary>y = conv(x, kernel) + bias: per block, out (K × n) = kernelᵀ·columns, the bias added as it is written.</summary>
    public static void Forward(ConvGeometry g, Tensor x, Tensor kernel, Tensor? bias, Tensor y)
    {
        if (ConvDirect.Fits<double>(g, kernel)) { ConvDirect.Forward<double>(g, x, kernel, bias, y); return; }
        if (ConvInPlace.Fits<double>(g) && kernel.IsContiguous) { ConvInPlace.Forward<double>(g, x, kernel, bias, y); return; }
        GemmForward(g, x, kernel, bias, y);
    }

    /// <summary>The convolution by im2col and GEMM (any geometry).</summary>
    internal static void GemmForward(ConvGeometry g, Tensor x, Tensor kernel, Tensor? bias, Tensor y)
    {
        var blocks = ConvBlocks.For(g, x.Columns);
        ConvBlocks.Run(blocks.Groups, g.WorkPerExample * x.Columns, (g, x, kernel, bias, y, blocks), static (s, group) =>
        {
            var (g, x, kernel, bias, y, blocks) = s;
            var buffer = ConvBlocks.Scratch(g.PatchLength * blocks.MaxBlock);
            for (int b = 0; b < blocks.BlocksIn(group); b++)
            {
                var (q0, n) = blocks.Block(group, b);
                ConvPatches.Gather(g, x.Span, q0, n, buffer);
                var output = new Tensor(y.Array, y.Offset + q0 * g.K, g.K, n, g.K);
                TensorMath.MatrixMultiply(kernel, new Tensor(buffer, 0, g.PatchLength, n, g.PatchLength), output, transposeA: true);
                if (bias is { } b0) AddBias(b0.Span, output.Span, g.K);
            }
        });
    }

    private static void AddBias(ReadOnlySpan<double> bias, Span<double> output, int k)
    {
        if (k > ChannelVectors.Few)
        {
            for (int j = 0; j < output.Length; j += k)
            {
                var column = output.Slice(j, k);
                TensorPrimitives.Add(column, bias, column);
            }
            return;
        }
        ChannelVectors.AddToEach(bias, output, k);
    }

    /// <summary>∂J/∂x = col2im(kernel·G): per block, the patch gradients (PatchLength × n) added back where they were read.</summary>
    public static void InputGradient(ConvGeometry g, Tensor upstream, Tensor kernel, Tensor dx)
    {
        if (ConvInPlace.FitsInputGradient<double>(g) && kernel.IsContiguous) { ConvInPlace.InputGradient<double>(g, upstream, kernel, dx); return; }
        GemmInputGradient(g, upstream, kernel, dx);
    }

    /// <summary>The input gradient by GEMM and col2im (any geometry).</summary>
    internal static void GemmInputGradient(ConvGeometry g, Tensor upstream, Tensor kernel, Tensor dx)
    {
        var blocks = ConvBlocks.For(g, upstream.Columns);
        ConvBlocks.Run(blocks.Groups, g.WorkPerExample * upstream.Columns, (g, upstream, kernel, dx, blocks), static (s, group) =>
        {
            var (g, upstream, kernel, dx, blocks) = s;
            var buffer = ConvBlocks.Scratch(g.PatchLength * blocks.MaxBlock);
            var (e0, count) = blocks.ExamplesOf(group);
            var target = dx.Span.Slice(e0 * g.InputRows, count * g.InputRows);
            target.Clear();
            for (int b = 0; b < blocks.BlocksIn(group); b++)
            {
                var (q0, n) = blocks.Block(group, b);
                var patches = new Tensor(buffer, 0, g.PatchLength, n, g.PatchLength);
                TensorMath.MatrixMultiply(kernel, new Tensor(upstream.Array, upstream.Offset + q0 * g.K, g.K, n, g.K), patches);
                ConvPatches.Scatter(g, patches.Span, q0, n, dx.Span);
            }
        });
    }

    /// <summary>The most partial sums a kernel gradient keeps (a constant, so the sum's order is the same on any machine).</summary>
    private const int Chunks = 8;

    /// <summary>
    /// ∂J/∂kernel = Σ over blocks of columns·Gᵀ (a sum over positions and examples): the groups are cut into at
    /// most <see cref="Chunks"/> fixed chunks, each summed in order into a partial, and the partials added in order.
    /// </summary>
    public static void KernelGradient(ConvGeometry g, Tensor x, Tensor upstream, Tensor dKernel)
    {
        if (ConvDirect.Fits<double>(g, dKernel)) { ConvDirect.KernelGradient<double>(g, x, upstream, dKernel); return; }
        if (ConvInPlace.Fits<double>(g)) { ConvInPlace.KernelGradient<double>(g, x, upstream, dKernel); return; }
        GemmKernelGradient(g, x, upstream, dKernel);
    }

    /// <summary>The kernel gradient by im2col and GEMM (any geometry).</summary>
    internal static void GemmKernelGradient(ConvGeometry g, Tensor x, Tensor upstream, Tensor dKernel)
    {
        var blocks = ConvBlocks.For(g, x.Columns);
        int chunks = Math.Min(Chunks, blocks.Groups), size = dKernel.Length;
        if (chunks == 0) { dKernel.Span.Clear(); return; }
        var partials = ScratchPool<double>.Shared.Rent(Math.Max(0, chunks - 1) * size);
        ConvBlocks.Run(chunks, g.WorkPerExample * x.Columns, (g, x, upstream, dKernel, blocks, partials, chunks, size), static (s, chunk) =>
        {
            var (g, x, upstream, dKernel, blocks, partials, chunks, size) = s;
            var buffer = ConvBlocks.Scratch(g.PatchLength * blocks.MaxBlock);
            var sum = chunk == 0 ? dKernel : new Tensor(partials, (chunk - 1) * size, g.PatchLength, g.K, g.PatchLength);
            int first = (int)((long)blocks.Groups * chunk / chunks), last = (int)((long)blocks.Groups * (chunk + 1) / chunks);
            double beta = 0;
            for (int group = first; group < last; group++)
                for (int b = 0; b < blocks.BlocksIn(group); b++, beta = 1)
                {
                    var (q0, n) = blocks.Block(group, b);
                    ConvPatches.Gather(g, x.Span, q0, n, buffer);
                    TensorMath.MatrixMultiply(new Tensor(buffer, 0, g.PatchLength, n, g.PatchLength),
                        new Tensor(upstream.Array, upstream.Offset + q0 * g.K, g.K, n, g.K), sum, transposeB: true, beta: beta);
                }
        });
        var total = dKernel.Span;
        for (int c = 1; c < chunks; c++)
        {
            TensorPrimitives.Add(total, partials.AsSpan((c - 1) * size, size), total);
        }
        ScratchPool<double>.Shared.Return(partials);
    }

    /// <summary>
    /// The float forms where the one-channel or in-place kernels take the geometry (<see cref="ConvDirect"/>, <see cref="ConvInPlace"/>): false when neither does,
    /// and the caller runs the double form on converted operands.
    /// </summary>
    public static bool TryForward(ConvGeometry g, Tensor<float> x, Tensor<float> kernel, Tensor<float>? bias, Tensor<float> y)
    {
        if (ConvDirect.Fits(g, kernel)) { ConvDirect.Forward(g, x, kernel, bias, y); return true; }
        if (!ConvInPlace.Fits<float>(g) || !kernel.IsContiguous) return false;
        ConvInPlace.Forward(g, x, kernel, bias, y);
        return true;
    }

    /// <inheritdoc cref="TryForward"/>
    public static bool TryInputGradient(ConvGeometry g, Tensor<float> upstream, Tensor<float> kernel, Tensor<float> dx)
    {
        if (!ConvInPlace.FitsInputGradient<float>(g) || !kernel.IsContiguous) return false;
        ConvInPlace.InputGradient(g, upstream, kernel, dx);
        return true;
    }

    /// <inheritdoc cref="TryForward"/>
    public static bool TryKernelGradient(ConvGeometry g, Tensor<float> x, Tensor<float> upstream, Tensor<float> dKernel)
    {
        if (ConvDirect.Fits(g, dKernel)) { ConvDirect.KernelGradient(g, x, upstream, dKernel); return true; }
        if (!ConvInPlace.Fits<float>(g)) return false;
        ConvInPlace.KernelGradient(g, x, upstream, dKernel);
        return true;
    }

    /// <summary>∂J/∂bias: each channel's upstream summed over every position of every example, in storage order.</summary>
    public static void BiasGradient(ConvGeometry g, Tensor upstream, Tensor dBias) => BiasGradient<double>(g, upstream, dBias);

    /// <inheritdoc cref="BiasGradient(ConvGeometry, Tensor, Tensor)"/>
    public static void BiasGradient<E>(ConvGeometry g, Tensor<E> upstream, Tensor<E> dBias) where E : unmanaged, System.Numerics.IFloatingPointIeee754<E>
    {
        var sum = dBias.Span;
        sum.Clear();
        var values = upstream.Span;
        if (g.K <= ChannelVectors.Few) { ChannelVectors.SumEach(values, sum, g.K); return; }
        for (int j = 0; j < values.Length; j += g.K)
        {
            TensorPrimitives.Add(sum, values.Slice(j, g.K), sum);
        }
    }
}
