namespace GraphDiff;

/// <summary>
/// An operation whose kernel can scale its result for free, as the matrix product does (C = α·op(A)·op(B)). An
/// evaluation plan that reuses buffers folds a 1×1 factor in front of such a node (dW = 1/m · dZ·Aᵀ) into the
/// kernel rather than making a second pass over the result: when a step s·P multiplies a scalar s by a node P of
/// this operation, P has the step's shape and that step is P's only reader, the plan calls
/// <see cref="ForwardScaled"/> in place of P's <see cref="Operation.Forward"/> and writes straight into the step's
/// result. Implement it on a user <see cref="Operation"/> whose kernel takes a scale factor (a GEMM's α) at no cost;
/// an operation without it is simply never folded.
/// </summary>
public interface IScalableProduct
{
    /// <summary>
    /// Writes into <paramref name="result"/> <paramref name="alpha"/> times what <see cref="Operation.Forward"/>
    /// would write for the same <paramref name="inputs"/>. <paramref name="result"/> has the node's shape and holds
    /// stale values from an earlier step: overwrite every element, never accumulate into it, and never write into
    /// <paramref name="inputs"/>.
    /// </summary>
    /// <param name="alpha">The scale factor, the value of the 1×1 operand of the product folded in.</param>
    /// <param name="inputs">The node's operand values, in the order of its inputs, as <see cref="Operation.Forward"/> receives them.</param>
    /// <param name="result">Where the scaled value goes; it is not one of <paramref name="inputs"/>.</param>
    void ForwardScaled(double alpha, ReadOnlySpan<Tensor> inputs, Tensor result);
}
