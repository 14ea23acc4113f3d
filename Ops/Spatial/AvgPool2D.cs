using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// Average pooling of images <paramref name="x"/> (n_H, n_W, n_C, m): each channel's mean over each
    /// <paramref name="size"/>×<paramref name="size"/> window, moved by <paramref name="stride"/> (0: the window
    /// size). The image is padded by <paramref name="padding"/> (less than the window size), and a window's padded
    /// places are not counted (ONNX's count_include_pad = 0): a corner window of 2×2 image pixels divides by 4.
    /// Result (⌊(n_H + 2p − size)/stride⌋ + 1, same for n_W, n_C, m).
    /// </summary>
    public static Node AvgPool2D(Node x, int size, int stride = 0, int padding = 0, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(new AvgPoolOperation(PoolGeometry.Of("AvgPool2D", x, size, stride, padding)), x, file, line);
}

/// <summary>
/// y = the mean of each window's image pixels, per channel: linear in x, so ∂J/∂x is its transpose applied to
/// ∂J/∂y (<see cref="AvgPoolTransposeOperation"/>), each window's gradient shared equally among its pixels.
/// </summary>
internal sealed class AvgPoolOperation : PoolOperation
{
    internal static readonly AvgPoolOperation[] Examples = [new(new(4, 5, 3, 2, 2, 0)), new(new(3, 4, 9, 3, 2, 2))];

    internal AvgPoolOperation(PoolGeometry geometry) : base(geometry, g => new AvgPoolOperation(g), [geometry.Input(2)]) =>
        Info = Info with { Onnx = OnnxSpatial.Pool(geometry, max: false) };

    /// <inheritdoc />
    public override string Name => "AvgPool2D";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Geometry.Require(Name, inputs, 0, output: false);
        return Geometry.Output(inputs[0].Shape.Columns);
    }

    internal override void Run<E>(Tensor<E> first, Tensor<E> second, Tensor<E> result, int cores) =>
        ByOutputRow(new PoolKernels.Pool<E>(Geometry, first, result, average: true), result.Columns, cores);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Node.Apply(new AvgPoolTransposeOperation(Geometry), [upstream], upstream.Location)];
}

/// <summary>
/// The transpose of average pooling: dx = Σ over the windows holding each pixel of dy/count, an image of the
/// pool's input shape from a gradient of its output shape. Linear; its own VJP is the average pool.
/// </summary>
internal sealed class AvgPoolTransposeOperation : PoolOperation
{
    internal static readonly AvgPoolTransposeOperation[] Examples = [new(new(4, 4, 2, 3, 1, 1))];

    internal AvgPoolTransposeOperation(PoolGeometry geometry) : base(geometry, g => new AvgPoolTransposeOperation(g), [geometry.Output(2)]) { }

    /// <inheritdoc />
    public override string Name => "AvgPool2DTranspose";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Geometry.Require(Name, inputs, 0, output: true);
        return Geometry.Input(inputs[0].Shape.Columns);
    }

    internal override void Run<E>(Tensor<E> first, Tensor<E> second, Tensor<E> result, int cores) =>
        ByExample(new PoolKernels.AverageTranspose<E>(Geometry, first, result), result.Columns, cores);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Node.Apply(new AvgPoolOperation(Geometry), [upstream], upstream.Location)];
}
