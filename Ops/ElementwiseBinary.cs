using GraphDiff.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>
/// Base of the elementwise binary operations (+ − · /): the broadcasting shape rule, the broadcasting forward
/// kernel through an operator struct, and infix printing. Subclasses give the local derivative.
/// </summary>
/// <typeparam name="TKernel">The operator struct computing the elements.</typeparam>
public abstract class ElementwiseBinary<TKernel> : Operation where TKernel : IBinaryKernel
{
    /// <summary>The infix symbol, e.g. <c>+</c>.</summary>
    protected abstract string Symbol { get; }

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => Broadcasting.Shape(Name, inputs[0], inputs[1]);

    /// <inheritdoc />
    public override void Forward(IReadOnlyList<Matrix<double>> inputs, Matrix<double> result) =>
        Broadcast.Apply<TKernel>(inputs[0], inputs[1], result);

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        // The right operand of a non-associative operation (− /) needs parentheses at equal precedence.
        $"{operands[0].Within(Precedence)} {Symbol} {operands[1].Within(Precedence + (IsAssociative ? 0 : 1))}";

    /// <summary>Whether <c>a ∘ (b ∘ c)</c> prints without parentheses.</summary>
    protected abstract bool IsAssociative { get; }
}

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
