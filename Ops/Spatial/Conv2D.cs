using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// The 2-D convolution (cross-correlation, as the course and every framework compute it) of images
    /// <paramref name="x"/> (n_H, n_W, n_C_prev, m) with <paramref name="kernel"/> (f_H, f_W, n_C_prev, n_C), plus
    /// <paramref name="bias"/> (n_C, 1) when given: Z[i, j, c, e] = b[c] + Σ x[i·s − p + ky·d, j·s − p + kx·d, ci, e]·W[ky, kx, ci, c]
    /// over ky, kx, ci, reading zero in the padding. The result is (n_H', n_W', n_C, m) with
    /// n_H' = ⌊(n_H + 2p − d(f_H − 1) − 1)/s⌋ + 1, and n_W' alike.
    /// </summary>
    /// <param name="x">The images, (n_H, n_W, n_C_prev, m).</param>
    /// <param name="kernel">The filters, (f_H, f_W, n_C_prev, n_C), the course's W.</param>
    /// <param name="bias">One bias per filter, (n_C, 1), or <c>null</c>.</param>
    /// <param name="stride">The step s between positions, at least 1.</param>
    /// <param name="padding">The zeros p added on every side, at least 0.</param>
    /// <param name="dilation">The step d between the kernel's taps, at least 1 (1 is a plain convolution).</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    public static Node Conv2D(Node x, Node kernel, Node? bias = null, int stride = 1, int padding = 0, int dilation = 1,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(kernel);
        Node[] operands = bias is null ? [x, kernel] : [x, kernel, bias];
        return Node.Apply(new Conv2DOperation(ConvGeometry.Of("Conv2D", operands, stride, padding, dilation)), operands, At(file, line));
    }
}

/// <summary>
/// Z = conv(X, W) + b, computed as im2col and one GEMM per block of positions. With G = ∂J/∂Z: ∂J/∂X is the
/// transposed convolution of G with W, ∂J/∂W the sum over positions of patch·Gᵀ, ∂J/∂b the sum of G over positions
/// and examples, each a node of its own operation.
/// </summary>
internal sealed class Conv2DOperation : ConvOperation
{
    internal static readonly Conv2DOperation[] Examples =
    [
        new(new(5, 5, 2, 3, 3, 4, 1, 0, 1), bias: true),
        new(new(5, 5, 2, 3, 3, 4, 2, 1, 1), bias: true),
        new(new(6, 5, 2, 2, 3, 3, 1, 2, 2), bias: false),
    ];

    internal Conv2DOperation(ConvGeometry geometry, bool? bias = null)
        : base(geometry, g => new Conv2DOperation(g), bias is { } b ? Samples(geometry, b) : []) =>
        Info = Info with { Onnx = OnnxSpatial.Conv(geometry) };

    private static Shape[] Samples(ConvGeometry g, bool bias) => bias ? [g.Input(3), g.Kernel, g.Bias] : [g.Input(3), g.Kernel];

    /// <inheritdoc />
    public override string Name => "Conv2D";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        if (inputs.Count is not (2 or 3))
            throw ShapeMismatchException.For(Name, inputs, "Conv2D takes images, a kernel and optionally a bias");
        int m = Batch(inputs, 0, Geometry.Input, "the images");
        Require(inputs, 1, Geometry.Kernel, "the kernel");
        if (inputs.Count == 3) Require(inputs, 2, Geometry.Bias, "the bias (one per filter)");
        return Geometry.Output(m);
    }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) =>
        ConvKernels.Forward(Geometry, inputs[0], inputs[1], inputs.Length > 2 ? inputs[2] : null, result);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<GraphDiff.Tensors.Tensor<float>> inputs, GraphDiff.Tensors.Tensor<float> result)
    {
        if (!ConvKernels.TryForward(Geometry, inputs[0], inputs[1], inputs.Length > 2 ? inputs[2] : null, result)) base.Forward(inputs, result);
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        Node x = node.Inputs[0], kernel = node.Inputs[1];
        var dx = Node.Apply(new Conv2DInputGradient(Geometry), [upstream, kernel]);
        var dKernel = Node.Apply(new Conv2DKernelGradient(Geometry), [x, upstream]);
        return node.Inputs.Count == 2 ? [dx, dKernel] : [dx, dKernel, Node.Apply(new Conv2DBiasGradient(Geometry), [upstream])];
    }
}
