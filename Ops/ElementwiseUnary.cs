using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// Base of the elementwise unary operations: the result has the operand's shape; one kernel over the storage.
/// </summary>
/// <remarks>
/// The chunking contract: <see cref="Forward(ReadOnlySpan{double}, Span{double})"/> may be called on any
/// contiguous chunk of the operand, in any order, several chunks in parallel (large arrays are split across
/// cores), so y[i] must depend on x[i] alone and the kernel must keep no state between calls. The same holds
/// for <see cref="Kernel"/>, the form in which a fuser chains it with other elementwise kernels.
/// </remarks>
public abstract class ElementwiseUnary : Operation
{
    /// <summary>The forward kernel as a delegate, for code that chains elementwise kernels over one pass.</summary>
    public Action<ReadOnlySpan<double>, Span<double>> Kernel => Forward;

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;

    /// <inheritdoc />
    public override bool IsElementwise => true;

    /// <summary>Below this many elements one core does the work; above, the array is split across cores.</summary>
    internal const int ParallelThreshold = 1 << 16;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) =>
        Forward(inputs[0], result, Environment.ProcessorCount);

    /// <summary>The forward kernel split over <paramref name="cores"/> (a parameter so that tests can simulate any machine).</summary>
    internal void Forward(Tensor x, Tensor y, int cores)
    {
        if (y.Length != x.Length) throw new ArgumentException($"{Name}: the result has {y.Length} elements for {x.Length} operand elements.");
        if (x.Length < ParallelThreshold || cores <= 1) { Forward(x.Span, y.Span); return; }
        ForwardInParallel(x, y, cores);
    }

    // Independent contiguous chunks, 8-aligned so that every chunk but the last stays on the vector path; a static
    // body over its state, so that the split allocates nothing.
    private void ForwardInParallel(Tensor x, Tensor y, int cores) =>
        TensorMath.ForEachPart(cores, (op: this, x, y, cores), static (s, c) =>
        {
            var (start, length) = WorkSplit.Range(s.x.Length, s.cores, c, alignment: 8);
            if (length > 0) s.op.Forward(s.x.Span.Slice(start, length), s.y.Span.Slice(start, length));
        });

    /// <summary>
    /// The float form: the double kernel a block at a time, each block widened, computed and rounded in two small
    /// buffers on the stack (no allocation, and the blocks stay in the cache). An operation with a float kernel of its
    /// own overrides it.
    /// </summary>
    public override void Forward(ReadOnlySpan<Tensor<float>> inputs, Tensor<float> result)
    {
        const int block = 512;
        ReadOnlySpan<float> x = inputs[0].Span;
        var y = result.Span;
        if (y.Length != x.Length) throw new ArgumentException($"{Name}: the result has {y.Length} elements for {x.Length} operand elements.");
        Span<double> wide = stackalloc double[block], computed = stackalloc double[block];
        for (int i = 0; i < x.Length; i += block)
        {
            int n = Math.Min(block, x.Length - i);
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(x.Slice(i, n), wide[..n]);
            Forward(wide[..n], computed[..n]);
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<double, float>(computed[..n], y.Slice(i, n));
        }
    }

    /// <summary>y[i] = f(x[i]) over the span given: a whole value, or one core's contiguous part of it.</summary>
    protected abstract void Forward(ReadOnlySpan<double> x, Span<double> y);
}
