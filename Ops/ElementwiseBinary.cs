using GraphDiff.Kernels;

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
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) =>
        Broadcast.Apply<TKernel>(inputs[0], inputs[1], result);

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        // The right operand of a non-associative operation (− /) needs parentheses at equal precedence.
        $"{operands[0].Within(Precedence)} {Symbol} {operands[1].Within(Precedence + (IsAssociative ? 0 : 1))}";

    /// <summary>Whether <c>a ∘ (b ∘ c)</c> prints without parentheses.</summary>
    protected abstract bool IsAssociative { get; }
}
