using GraphDiff.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>Base of the elementwise unary operations: the result has the operand's shape; one kernel over the storage.</summary>
public abstract class ElementwiseUnary : Operation
{
    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;

    /// <summary>Below this many elements one core does the work; above, the array is split across cores.</summary>
    public const int ParallelThreshold = 1 << 16;

    /// <inheritdoc />
    public override void Forward(IReadOnlyList<Matrix<double>> inputs, Matrix<double> result)
    {
        double[] x = Dense.Storage(inputs[0]), y = Dense.Storage(result);
        int cores = Environment.ProcessorCount;
        if (x.Length < ParallelThreshold || cores == 1) { Forward(x, y); return; }
        // Elementwise work splits into independent chunks; 8-aligned so every chunk stays on the vector path.
        int chunk = (x.Length / cores + 7) & ~7;
        Parallel.For(0, cores, c =>
        {
            int start = c * chunk, length = Math.Min(chunk, x.Length - start);
            if (length > 0) Forward(x.AsSpan(start, length), y.AsSpan(start, length));
        });
    }

    /// <summary>y[i] = f(x[i]) over the whole storage.</summary>
    protected abstract void Forward(ReadOnlySpan<double> x, Span<double> y);
}
