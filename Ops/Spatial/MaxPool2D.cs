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
        Unary(new MaxPoolOperation(PoolGeometry.Of("MaxPool2D", x, size, stride, padding), operands: 1), x, file, line);
}

/// <summary>
/// y = the maximum of each window of x, per channel. With a second operand g of x's shape, y = g read at each
/// window's first maximum of x (row-major): the VJP of the max pool's backward in its upstream gradient, and
/// the max pool itself when g = x. ∂J/∂x = ∂J/∂y sent to each window's first maximum
/// (<see cref="MaxPoolScatterOperation"/>); with g, that goes to g and none to x (the choice of maxima is flat in x).
/// </summary>
/// <remarks>
/// Ties: where two elements of a window share its maximum, the one-sided derivatives differ (a kink). It lies
/// where two operand values are equal, not at a value of the operand, so <see cref="Operation.Kinks"/> (a list
/// of operand values) cannot name it and lists none; it says <see cref="Operation.KinkedAtTies"/> instead, and gradient
/// checks skip a nudge that changes which element of a window wins (<see cref="SameSideOfTies"/>).
/// </remarks>
internal sealed class MaxPoolOperation : PoolOperation
{
    internal static readonly MaxPoolOperation[] Examples = [new(new(4, 5, 3, 2, 2, 0), 1), new(new(3, 3, 9, 2, 1, 1), 1), new(new(5, 4, 3, 2, 2, 1), 2)];

    internal MaxPoolOperation(PoolGeometry geometry, int operands)
        : base(geometry, g => new MaxPoolOperation(g, operands), [.. Enumerable.Repeat(geometry.Input(2), operands)])
    {
        KeepsFinite = true;
        // The gather form (a second operand, read at the maxima) appears only in second derivatives: no ONNX form.
        Info = Info with { Onnx = operands == 1 ? OnnxSpatial.Pool(geometry, max: true) : OperationInfo.NoOnnx };
    }

    /// <inheritdoc />
    public override string Name => "MaxPool2D";

    /// <inheritdoc />
    public override bool KinkedAtTies => true;

    /// <summary>Whether every window's first maximum (row-major) is the same element in both values of the image.</summary>
    public override bool SameSideOfTies(Tensor before, Tensor after) => SameMaxima(Geometry, before, after);

    /// <summary>Whether every window of <paramref name="g"/> has its first maximum (row-major) at the same element in both images.</summary>
    internal static bool SameMaxima(PoolGeometry g, Tensor before, Tensor after)
    {
        for (int e = 0; e < Math.Min(before.Columns, after.Columns); e++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int c = 0; c < g.Channels; c++)
                        if (FirstMaximum(g, before, e, oy, ox, c) != FirstMaximum(g, after, e, oy, ox, c)) return false;
        return true;
    }

    private static int FirstMaximum(PoolGeometry g, Tensor image, int example, int oy, int ox, int channel)
    {
        var (y0, y1, x0, x1) = g.Window(oy, ox);
        int best = -1;
        double largest = double.NegativeInfinity;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
            {
                int row = (y * g.Width + x) * g.Channels + channel;
                if (image[row, example] > largest || best < 0) { largest = image[row, example]; best = row; }
            }
        return best;
    }

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        for (int k = 0; k < inputs.Count; k++) Geometry.Require(Name, inputs, k, output: false);
        return inputs.Count <= 2 ? Geometry.Output(inputs[0].Shape.Columns)
            : throw ShapeMismatchException.For(Name, inputs, "it takes an image, and optionally values of its shape to read at the image's maxima");
    }

    internal override void Run<E>(Tensor<E> first, Tensor<E> second, Tensor<E> result, int cores)
    {
        if (second.Array is null) ByOutputRow(new PoolKernels.Pool<E>(Geometry, first, result, average: false), result.Columns, cores);
        else ByOutputRow(new PoolKernels.Gather<E>(Geometry, first, second, result), result.Columns, cores);
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        var scatter = Node.Apply(new MaxPoolScatterOperation(Geometry, node.Inputs.Count == 1 ? this : null), [node.Inputs[0], upstream], upstream.Location);
        return node.Inputs.Count == 1 ? [scatter] : [null, scatter];
    }
}

/// <summary>
/// The max pool's backward: dx = dy placed at each window's first maximum of x (row-major), summed where windows
/// overlap, 0 elsewhere. Linear in dy, whose VJP reads at the same places (<see cref="MaxPoolOperation"/> with two operands);
/// piecewise constant in x, so no gradient flows to x.
/// </summary>
internal sealed class MaxPoolScatterOperation : PoolOperation
{
    internal static readonly MaxPoolScatterOperation[] Examples = [new(new(4, 4, 2, 3, 1, 1))];

    internal MaxPoolScatterOperation(PoolGeometry geometry, MaxPoolOperation? pool = null)
        : base(geometry, g => new MaxPoolScatterOperation(g), [geometry.Input(2), geometry.Output(2)]) => Pool = pool;

    /// <summary>The max pool this is the backward of, when known: a rewrite that needs the pooled values finds the forward node through it (<see cref="ReLUGradientAtMaxima"/>).</summary>
    internal MaxPoolOperation? Pool { get; }

    /// <inheritdoc />
    public override string Name => "MaxPool2DScatter";

    /// <summary>Where the image has tied maxima, which element receives dy jumps: a kink in the image, as the max pool's.</summary>
    public override bool KinkedAtTies => true;

    /// <inheritdoc />
    public override bool SameSideOfTies(Tensor before, Tensor after) => MaxPoolOperation.SameMaxima(Geometry, before, after);

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Geometry.Require(Name, inputs, 0, output: false);
        Geometry.Require(Name, inputs, 1, output: true);
        return inputs[0].Shape;
    }

    internal override void Run<E>(Tensor<E> first, Tensor<E> second, Tensor<E> result, int cores) =>
        ByExample(new PoolKernels.Scatter<E>(Geometry, first, second, result), result.Columns, cores);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [null, Node.Apply(new MaxPoolOperation(Geometry, operands: 2), [node.Inputs[0], upstream], upstream.Location)];
}

