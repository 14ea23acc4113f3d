using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// ∂J/∂b of a convolution: each filter's output gradient summed over positions and examples, G (n_H', n_W', n_C, m)
/// to (n_C, 1). Linear: its own gradient spreads v = ∂J/∂(∂J/∂b) back over G's positions (<see cref="Conv2DBiasBroadcast"/>).
/// </summary>
internal sealed class Conv2DBiasGradient : ConvOperation
{
    internal static readonly Conv2DBiasGradient[] Examples = [new(new(5, 5, 2, 3, 3, 4, 1, 0, 1), sampled: true)];

    internal Conv2DBiasGradient(ConvGeometry geometry, bool sampled = false)
        : base(geometry, g => new Conv2DBiasGradient(g), sampled ? [geometry.Output(3)] : []) { }

    /// <inheritdoc />
    public override string Name => "Conv2DBiasGradient";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Batch(inputs, 0, Geometry.Output, "the output gradient");
        return Geometry.Bias;
    }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => ConvKernels.BiasGradient(Geometry, inputs[0], result);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<GraphDiff.Tensors.Tensor<float>> inputs, GraphDiff.Tensors.Tensor<float> result) =>
        ConvKernels.BiasGradient(Geometry, inputs[0], result);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Node.Apply(new Conv2DBiasBroadcast(Geometry), [upstream, node.Inputs[0]])];
}

/// <summary>
/// v (n_C, 1) repeated at every position of every example of <c>like</c> (n_H', n_W', n_C, m), whose values are not
/// read: the adjoint of <see cref="Conv2DBiasGradient"/>, so its gradient is that sum again (and none for <c>like</c>).
/// </summary>
internal sealed class Conv2DBiasBroadcast : ConvOperation
{
    internal static readonly Conv2DBiasBroadcast[] Examples = [new(new(5, 5, 2, 3, 3, 4, 1, 0, 1), sampled: true)];

    internal Conv2DBiasBroadcast(ConvGeometry geometry, bool sampled = false)
        : base(geometry, g => new Conv2DBiasBroadcast(g), sampled ? [geometry.Bias, geometry.Output(3)] : []) { }

    /// <inheritdoc />
    public override string Name => "Conv2DBiasBroadcast";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Require(inputs, 0, Geometry.Bias, "the bias gradient");
        return Geometry.Output(Batch(inputs, 1, Geometry.Output, "the output it spreads over"));
    }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        ReadOnlySpan<double> v = inputs[0].Span;
        var values = result.Span;
        for (int j = 0; j < values.Length; j += v.Length) v.CopyTo(values.Slice(j, v.Length));
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Node.Apply(new Conv2DBiasGradient(Geometry), [upstream]), null];
}
