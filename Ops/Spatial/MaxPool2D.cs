using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// Max pooling of images <paramref name="x"/> (n_H, n_W, n_C, m): each channel's maximum over each
    /// <paramref name="size"/>×<paramref name="size"/> window, moved by <paramref name="stride"/> (0: the window
    /// size), over the image padded by <paramref name="padding"/> (−∞, never chosen; less than the window size).
    /// Result (⌊(n_H + 2p − size)/stride⌋ + 1, same for n_W, n_C, m). The gradient goes to the first maximum of each
    /// window in row-major order; where a window's maximum is tied the derivative does not exist (a kink).
    /// </summary>
    public static Node MaxPool2D(Node x, int size, int stride = 0, int padding = 0, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(new MaxPoolOperation(PoolGeometry.Of("MaxPool2D", x, size, stride, padding)), x, file, line);
}

/// <summary>
/// y = the maximum of each window, per channel. ∂J/∂x = ∂J/∂y sent to each window's first maximum
/// (<see cref="MaxPoolScatterOperation"/>).
/// </summary>
/// <remarks>
/// Ties: where two elements of a window share its maximum, the one-sided derivatives differ (a kink). It lies
/// where two operand values are equal, not at a value of the operand, so <see cref="Operation.Kinks"/> (a list
/// of operand values) cannot name it and lists none: checks sample operands from a continuous domain, where ties
/// have probability 0, and the pooling tests keep the values of each window apart.
/// </remarks>
internal sealed class MaxPoolOperation : PoolOperation
{
    internal static readonly MaxPoolOperation[] Examples = [new(new(4, 5, 3, 2, 2, 0)), new(new(3, 3, 9, 2, 1, 1))];

    internal MaxPoolOperation(PoolGeometry geometry) : base(geometry, g => new MaxPoolOperation(g), [geometry.Input(2)])
    {
        KeepsFinite = true;
        Info = Info with { Onnx = OnnxSpatial.Pool(geometry, max: true) };
    }

    /// <inheritdoc />
    public override string Name => "MaxPool2D";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Geometry.Require(Name, inputs, 0, output: false);
        return Geometry.Output(inputs[0].Shape.Columns);
    }

    internal override void Run(ReadOnlySpan<Tensor> inputs, Tensor result, int cores) =>
        ByOutputRow(new PoolKernels.Max(Geometry, inputs[0], result), result.Columns, cores);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Node.Apply(new MaxPoolScatterOperation(Geometry), [node.Inputs[0], upstream], upstream.Location)];
}

/// <summary>
/// The max pool's backward: dx = dy placed at each window's first maximum of x (row-major), summed where windows
/// overlap, 0 elsewhere. Linear in dy, whose VJP gathers at the same places (<see cref="MaxPoolGatherOperation"/>);
/// piecewise constant in x, so no gradient flows to x.
/// </summary>
internal sealed class MaxPoolScatterOperation : PoolOperation
{
    internal static readonly MaxPoolScatterOperation[] Examples = [new(new(4, 4, 2, 3, 1, 1))];

    internal MaxPoolScatterOperation(PoolGeometry geometry) : base(geometry, g => new MaxPoolScatterOperation(g), [geometry.Input(2), geometry.Output(2)]) { }

    /// <inheritdoc />
    public override string Name => "MaxPool2DScatter";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Geometry.Require(Name, inputs, 0, output: false);
        Geometry.Require(Name, inputs, 1, output: true);
        return inputs[0].Shape;
    }

    internal override void Run(ReadOnlySpan<Tensor> inputs, Tensor result, int cores) =>
        ByExample(new PoolKernels.Scatter(Geometry, inputs[0], inputs[1], result), result.Columns, cores);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [null, Node.Apply(new MaxPoolGatherOperation(Geometry), [node.Inputs[0], upstream], upstream.Location)];
}

/// <summary>
/// g read at each window's first maximum of x (row-major): the max pool's backward differentiated in its upstream
/// gradient (and MaxPool2D(x) = gather of x at its own maxima). Linear in g, whose VJP is the scatter; none to x.
/// </summary>
internal sealed class MaxPoolGatherOperation : PoolOperation
{
    internal static readonly MaxPoolGatherOperation[] Examples = [new(new(5, 4, 3, 2, 2, 1))];

    internal MaxPoolGatherOperation(PoolGeometry geometry) : base(geometry, g => new MaxPoolGatherOperation(g), [geometry.Input(2), geometry.Input(2)]) => KeepsFinite = true;

    /// <inheritdoc />
    public override string Name => "MaxPool2DGather";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Geometry.Require(Name, inputs, 0, output: false);
        Geometry.Require(Name, inputs, 1, output: false);
        return Geometry.Output(inputs[0].Shape.Columns);
    }

    internal override void Run(ReadOnlySpan<Tensor> inputs, Tensor result, int cores) =>
        ByOutputRow(new PoolKernels.Gather(Geometry, inputs[0], inputs[1], result), result.Columns, cores);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [null, Node.Apply(new MaxPoolScatterOperation(Geometry), [node.Inputs[0], upstream], upstream.Location)];
}
