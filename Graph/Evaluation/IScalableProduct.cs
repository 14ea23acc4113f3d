namespace GraphDiff;

/// <summary>
/// An operation whose kernel can scale its result for free: the matrix product, C = α·op(A)·op(B). A plan folds a
/// scalar factor in front of such a node (dW = 1/m · dZ·Aᵀ) into the kernel rather than making a second pass over
/// the result.
/// </summary>
internal interface IScalableProduct
{
    /// <summary>result := <paramref name="alpha"/> times what <see cref="Operation.Forward"/> computes.</summary>
    void ForwardScaled(double alpha, ReadOnlySpan<Tensor> inputs, Tensor result);
}
