using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// ∂J/∂X of a convolution: T(G, W) = col2im(W·G), the transposed convolution of the output gradient G
/// (n_H', n_W', n_C, m) with the kernel W, giving (n_H, n_W, n_C_prev, m). Linear in each operand: with U = ∂J/∂T,
/// ∂J/∂G = conv(U, W) and ∂J/∂W = the kernel gradient of (U, G), since ⟨U, T(G, W)⟩ = ⟨conv(U, W), G⟩.
/// </summary>
internal sealed class Conv2DInputGradient : ConvOperation
{
    internal static readonly Conv2DInputGradient[] Examples = [new(new(5, 5, 2, 3, 3, 4, 2, 1, 1), sampled: true)];

    internal Conv2DInputGradient(ConvGeometry geometry, bool sampled = false)
        : base(geometry, g => new Conv2DInputGradient(g), sampled ? [geometry.Output(3), geometry.Kernel] : []) { }

    /// <inheritdoc />
    public override string Name => "Conv2DInputGradient";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        int m = Batch(inputs, 0, Geometry.Output, "the output gradient");
        Require(inputs, 1, Geometry.Kernel, "the kernel");
        return Geometry.Input(m);
    }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => ConvKernels.InputGradient(Geometry, inputs[0], inputs[1], result);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<GraphDiff.Tensors.Tensor<float>> inputs, GraphDiff.Tensors.Tensor<float> result)
    {
        if (!ConvKernels.TryInputGradient(Geometry, inputs[0], inputs[1], result)) base.Forward(inputs, result);
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
    [
        Node.Apply(new Conv2DOperation(Geometry), [upstream, node.Inputs[1]]),
        Node.Apply(new Conv2DKernelGradient(Geometry), [upstream, node.Inputs[0]]),
    ];
}
