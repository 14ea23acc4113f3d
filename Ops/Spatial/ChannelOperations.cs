using System.Numerics.Tensors;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// Per-channel batch reduction: (…, n_C, m) → (n_C, 1), the sum (<c>BatchSum</c>) or mean (<c>BatchMean</c>) of each
/// channel over every other axis (for the course's (n, m), each row over its m examples). Linear: its VJP
/// spreads the upstream gradient back over those axes (<see cref="ChannelBroadcastOperation"/>, divided by the count for the mean).
/// The mean over no examples is 0/0: a plan refuses it, saying the data is empty.
/// </summary>
internal sealed class ChannelReduceOperation : Operation
{
    internal static readonly ChannelReduceOperation[] Examples = [new(new(3, 4), mean: true), new(new(5, 1), mean: false)];

    private readonly ChannelAxes axes;
    private readonly bool mean;

    internal ChannelReduceOperation(ChannelAxes axes, bool mean)
    {
        (this.axes, this.mean) = (axes, mean);
        Info = new()
        {
            Domain = OperationInfo.Anywhere,
            SampleShapes = [Sample(axes)],
            Onnx = OnnxSpatial.ChannelReduce(axes.Channels, mean),
            Code = "",
            Rebuild = a => new ChannelReduceOperation(ChannelAxes.From(a), mean),
        };
    }

    /// <summary>A value of these axes with 3 examples: (n_C, 3) when there is one position per channel, else (positions, n_C, 3).</summary>
    internal static Shape Sample(ChannelAxes axes) => axes.Spatial == 1 ? new Shape(axes.Channels, 3) : Shape.Of(axes.Spatial, axes.Channels, 3);

    /// <inheritdoc />
    public override string Name => mean ? "BatchMean" : "BatchSum";

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => axes.Attributes;

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => axes.Fits(inputs[0].Shape) ? new Shape(axes.Channels, 1)
        : throw ShapeMismatchException.For(Name, inputs, $"it was built for values of {axes.Channels} channels (the axis before the examples) with {axes.Spatial} positions each");

    /// <summary>
    /// Set by <see cref="Op.BatchNorm"/> on the mean it normalises by (its call and line): a batch with one value per
    /// channel is then refused, since every value would be its own mean and batch normalisation a silent no-op.
    /// </summary>
    internal string? NormalisationOf { get; init; }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        if (NormalisationOf is { } call && (long)axes.Spatial * inputs[0].Columns == 1)
            throw new InvalidOperationException(
                $"{call}: batch normalisation over one example normalises each unit by its own value, so its output is β and no " +
                "gradient reaches what comes before it (a silent no-op). Train with batches of 2 or more examples (a last " +
                "mini-batch of 1 included: pick a batch size that leaves none), and predict one example with the running " +
                "statistics (BatchNormInference, which a Network's predictions use).");
        Run(inputs[0], result, Environment.ProcessorCount);
    }

    /// <summary>The kernel over at most <paramref name="cores"/> cores, split by channels (each summed in the same order).</summary>
    internal void Run(Tensor x, Tensor result, int cores)
    {
        int blocks = (axes.Channels + Block - 1) / Block;
        SpatialParallel.For(new Reduce(axes, x, result), blocks, (long)Block * axes.Spatial * x.Columns, cores);
        if (mean) TensorPrimitives.Divide(result.Span, (double)axes.Spatial * x.Columns, result.Span);
    }

    /// <summary>Channels per unit of work.</summary>
    private const int Block = 8;

    /// <summary>The sums of channels [start·8, end·8): example after example, position after position.</summary>
    private readonly struct Reduce(ChannelAxes axes, Tensor x, Tensor sums) : IUnitWork
    {
        public void Run(int start, int end)
        {
            int c = axes.Channels, from = start * Block, count = Math.Min(end * Block, c) - from;
            var acc = sums.Span.Slice(from, count);
            acc.Clear();
            var all = x.Span;
            for (int j = 0; j < x.Columns; j++)
                for (int s = 0; s < axes.Spatial; s++)
                {
                    var part = all.Slice(j * axes.Rows + s * c + from, count);
                    if (count == 1) acc[0] += part[0];
                    else TensorPrimitives.Add(acc, part, acc);
                }
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Node.Apply(new ChannelBroadcastOperation(axes, mean), [upstream, node.Inputs[0]], upstream.Location)];
}

/// <summary>
/// A per-channel (n_C, 1) value spread over the shape of its second operand (…, n_C, m), every position and example
/// (<c>BatchBroadcast</c>), or spread and divided by the count of positions·m (<c>BatchBroadcastMean</c>, the
/// VJP of the batch mean). Linear in the first operand, whose VJP is the matching reduction; the second only
/// gives the shape (no gradient).
/// </summary>
internal sealed class ChannelBroadcastOperation : Operation
{
    internal static readonly ChannelBroadcastOperation[] Examples = [new(new(3, 4), mean: true), new(new(5, 1), mean: false)];

    private readonly ChannelAxes axes;
    private readonly bool mean;

    internal ChannelBroadcastOperation(ChannelAxes axes, bool mean)
    {
        (this.axes, this.mean) = (axes, mean);
        Info = new()
        {
            Domain = OperationInfo.Anywhere,
            SampleShapes = [new Shape(axes.Channels, 1), ChannelReduceOperation.Sample(axes)],
            Onnx = OnnxSpatial.ChannelBroadcast(axes.Channels, mean),
            Code = "",
            Rebuild = a => new ChannelBroadcastOperation(ChannelAxes.From(a), mean),
        };
    }

    /// <inheritdoc />
    public override string Name => mean ? "BatchBroadcastMean" : "BatchBroadcast";

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => axes.Attributes;

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) =>
        inputs[0].Shape == new Shape(axes.Channels, 1) && axes.Fits(inputs[1].Shape) ? inputs[1].Shape
            : throw ShapeMismatchException.For(Name, inputs, $"it spreads a ({axes.Channels}, 1) value over values of {axes.Channels} channels (the axis before the examples) with {axes.Spatial} positions each");

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => Run(inputs[0], result, Environment.ProcessorCount);

    /// <summary>The kernel over at most <paramref name="cores"/> cores, split by examples.</summary>
    internal void Run(Tensor v, Tensor result, int cores) =>
        SpatialParallel.For(new Spread(axes, v, result, mean ? (double)axes.Spatial * result.Columns : 1), result.Columns, axes.Rows, cores);

    /// <summary>Examples [start, end) of the result: v / count at every position.</summary>
    private readonly struct Spread(ChannelAxes axes, Tensor v, Tensor result, double count) : IUnitWork
    {
        public void Run(int start, int end)
        {
            var all = result.Span;
            for (int j = start; j < end; j++)
                for (int s = 0; s < axes.Spatial; s++)
                {
                    var part = all.Slice(j * axes.Rows + s * axes.Channels, axes.Channels);
                    if (count == 1) v.Span.CopyTo(part);
                    else TensorPrimitives.Divide(v.Span, count, part);
                }
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Node.Apply(new ChannelReduceOperation(axes, mean), [upstream], upstream.Location), null];
}
