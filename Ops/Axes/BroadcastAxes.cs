using System.Numerics.Tensors;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// x = y repeated along the axes an <see cref="AxisMap"/> reduces (the adjoint of a reduction), divided by their
/// count when it is a mean's: Op.BroadcastTo of any rank, and the derivative of Sum and Mean over axes. Its
/// operands are y and a node of x's shape (only its shape is read). ∂J/∂y is ∂J/∂x summed (or averaged) back.
/// </summary>
internal sealed class BroadcastAxesOperation : Operation
{
    internal static readonly BroadcastAxesOperation[] Examples =
    [
        new(AxisMap.Aligned(Shape.Of(2, 3, 2, 3), new Shape(2, 1)), mean: false),
        new(AxisMap.Reducing(Shape.Of(2, 3, 4), [1], keep: false), mean: true),
    ];

    private readonly AxisMap map;
    private readonly bool mean;

    private BroadcastAxesOperation(AxisMap map, bool mean)
    {
        this.map = map;
        this.mean = mean;
        KeepsFinite = true;
        Info = new()
        {
            Domain = OperationInfo.Anywhere, SampleShapes = [map.Y, map.X], Code = "",
            // ONNX's Expand broadcasts as numpy does, aligned on the last axis: the map of Op.BroadcastTo.
            Onnx = mean || !map.IsAligned ? OperationInfo.NoOnnx
                : AxisArguments.OnnxForMatrices(map.X, (onnx, _, x) => onnx.Add("Expand", [x[0], onnx.Add("Shape", [x[1]])])),
            Rebuild = a => new BroadcastAxesOperation(AxisMap.FromAttributes(a), OperationInfo.Required(a, "mean") != 0),
        };
    }

    /// <summary>y broadcast to the shape of <paramref name="like"/> by <paramref name="map"/>, divided by the count of the reduced axes for a mean's derivative.</summary>
    public static Node Apply(AxisMap map, bool mean, Node y, Node like, SourceLocation? location = null) =>
        location is { } at ? Node.Apply(new BroadcastAxesOperation(map, mean), [y, like], at) : Node.Apply(new BroadcastAxesOperation(map, mean), [y, like]);

    /// <inheritdoc />
    public override string Name => "BroadcastAxes";

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => new Dictionary<string, double>(map.Attributes()) { ["mean"] = mean ? 1 : 0 };

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape == map.Y && inputs[1].Shape == map.X ? map.X
        : throw ShapeMismatchException.For(Name, inputs, $"this broadcast was built for {map.Y} to the shape {map.X}");

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        map.Broadcast(inputs[0], result);
        if (mean) TensorPrimitives.Divide(result.Span, (double)map.Count(Strided.BatchOf(map.X, result)), result.Span);
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Node.Apply(new ReduceOperation(mean ? ReduceOperation.Kind.Mean : ReduceOperation.Kind.Sum, map), [upstream]), null];

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => mean
        ? $"BroadcastTo({operands[0].Text} / {CountText()}, shape of {operands[1].Text})"
        : $"BroadcastTo({operands[0].Text}, shape of {operands[1].Text})";

    // The count of a mean, e.g. 12 or 12·m.
    private string CountText()
    {
        long fixedCount = map.Reduced.Where(a => map.X[a] != Shape.Batch).Aggregate(1L, (n, a) => n * map.X[a]);
        bool batch = map.Reduced.Any(a => map.X[a] == Shape.Batch);
        return !batch ? $"{fixedCount}" : fixedCount == 1 ? "m" : $"({fixedCount}·m)";
    }
}
