using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// ∂J/∂W of a convolution: K(X, G) = Σ over positions and examples of patch·Gᵀ, (f_H, f_W, n_C_prev, n_C), from the
/// images X and the output gradient G. Linear in each operand: with V = ∂J/∂K, ⟨V, K(X, G)⟩ = ⟨conv(X, V), G⟩, so
/// ∂J/∂X = the input gradient of (G, V) and ∂J/∂G = conv(X, V).
/// </summary>
internal sealed class Conv2DKernelGradient : ConvOperation
{
    internal static readonly Conv2DKernelGradient[] Examples = [new(new(5, 5, 2, 3, 3, 4, 1, 1, 1), sampled: true)];

    internal Conv2DKernelGradient(ConvGeometry geometry, bool sampled = false)
        : base(geometry, g => new Conv2DKernelGradient(g), sampled ? [geometry.Input(3), geometry.Output(3)] : []) { }

    /// <inheritdoc />
    public override string Name => "Conv2DKernelGradient";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        int m = Batch(inputs, 0, Geometry.Input, "the images");
        SameBatch(inputs, 0, 1, m, Batch(inputs, 1, Geometry.Output, "the output gradient"));
        return Geometry.Kernel;
    }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => ConvKernels.KernelGradient(Geometry, inputs[0], inputs[1], result);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<GraphDiff.Tensors.Tensor<float>> inputs, GraphDiff.Tensors.Tensor<float> result)
    {
        if (!ConvKernels.TryKernelGradient(Geometry, inputs[0], inputs[1], result)) base.Forward(inputs, result);
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
    [
        Node.Apply(new Conv2DInputGradient(Geometry), [node.Inputs[1], upstream]),
        Node.Apply(new Conv2DOperation(Geometry), [node.Inputs[0], upstream]),
    ];
}
