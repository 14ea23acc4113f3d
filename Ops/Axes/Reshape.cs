using System.Globalization;
using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// <paramref name="x"/> with the dimensions of <paramref name="shape"/>, its elements in the same storage order
    /// (example after example; within one, the leading axes row-major), so nothing moves. With the batch dimension m
    /// the last axis of both, each example keeps its elements: <c>Reshape(A, Shape.Of(7, 7, 16, Shape.Batch))</c>.
    /// </summary>
    public static Node Reshape(Node x, Shape shape, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(new ReshapeOperation(shape), x, file, line);

    /// <summary>
    /// Each example of <paramref name="x"/> as one column: (n_H, n_W, n_C, m) becomes (n_H·n_W·n_C, m), the course's
    /// flattening before the dense layers (pixels row after row, channels fastest, as numpy's <c>reshape(m, -1).T</c>).
    /// </summary>
    public static Node Flatten(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Unary(new ReshapeOperation(new Shape(x.Shape.Rows, x.Shape.Columns)), x, file, line);
    }
}

/// <summary>
/// y = x with other dimensions, the same elements in the same storage order (a copy of the storage); ∂J/∂x is
/// ∂J/∂y reshaped back.
/// </summary>
internal sealed class ReshapeOperation : Operation
{
    internal static readonly ReshapeOperation[] Examples =
        [new(new Shape(6, 4), sampleOperand: Shape.Of(2, 3, 4)), new(Shape.Of(4, 3, 2), sampleOperand: Shape.Of(2, 3, 4))];

    private readonly Shape target;

    internal ReshapeOperation(Shape target, Shape? sampleOperand = null)
    {
        this.target = target;
        KeepsFinite = true;
        Info = SampleFrom(sampleOperand);
    }

    private OperationInfo SampleFrom(Shape? operand) => new()
    {
        Domain = OperationInfo.Anywhere,
        SampleShapes = operand is { } s ? [s] : null,
        Onnx = (onnx, node, x) => OnnxAxes.ReshapeStorage(onnx, x[0], node.Inputs[0].Shape, target),
        Code = "",
        Rebuild = a => new ReshapeOperation(AxisAttributes.Shape(a)),
    };

    /// <inheritdoc />
    public override string Name => "Reshape";

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => AxisAttributes.Of(target);

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        var from = inputs[0].Shape;
        if (from == target) return target;
        if (from.Rows == Shape.Batch || target.Rows == Shape.Batch)
            throw ShapeMismatchException.For(Name, inputs, $"to reshape to {target}, the batch dimension m must be the last axis of both shapes");
        bool fits = from.HasBatch || target.HasBatch
            ? from.Columns == Shape.Batch && target.Columns == Shape.Batch && from.Rows == target.Rows
            : from.ElementCount() == target.ElementCount();
        return fits ? target : throw ShapeMismatchException.For(Name, inputs,
            from.HasBatch || target.HasBatch
                ? $"with the batch dimension m the last axis of both, each example must keep its {from.Rows} elements, and {target} holds {target.Rows} per example"
                : $"{target} holds {target.ElementCount()} elements, not {from.ElementCount()}");
    }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => inputs[0].Span.CopyTo(result.Span);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [Op.Reshape(upstream, node.Inputs[0].Shape)];

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"Reshape({operands[0].Text}, {target})";

    /// <summary>A reshape of an image to its storage matrix prints as the flattening it is, <c>Flatten(P4)</c>.</summary>
    public override string Format(Node node, IReadOnlyList<FormattedOperand> operands)
    {
        var from = node.Inputs[0].Shape;
        return from.Rank > 2 && target == new Shape(from.Rows, from.Columns) ? $"Flatten({operands[0].Text})" : Format(operands);
    }
}

/// <summary>A shape as an operation's attributes (<c>rank</c>, <c>d0</c>, <c>d1</c>, …) and back, for saved graphs.</summary>
internal static class AxisAttributes
{
    public static IReadOnlyDictionary<string, double> Of(Shape shape, string prefix = "")
    {
        var attributes = new Dictionary<string, double> { [prefix + "rank"] = shape.Rank };
        int[] dims = shape.Dimensions;
        for (int k = 0; k < dims.Length; k++) attributes[prefix + "d" + k.ToString(CultureInfo.InvariantCulture)] = dims[k];
        return attributes;
    }

    public static Shape Shape(IReadOnlyDictionary<string, double> attributes, string prefix = "")
    {
        double rank = OperationInfo.Required(attributes, prefix + "rank");
        if (rank is < 2 or > GraphDiff.Shape.MaxRank || rank != Math.Floor(rank))
            throw new ArgumentOutOfRangeException(prefix + "rank", $"the attribute '{prefix}rank' must be a whole number from 2 to {GraphDiff.Shape.MaxRank}, got {rank}");
        var dims = new int[(int)rank];
        for (int k = 0; k < dims.Length; k++)
        {
            string key = prefix + "d" + k.ToString(CultureInfo.InvariantCulture);
            double d = OperationInfo.Required(attributes, key);
            if (d != Math.Floor(d) || d < GraphDiff.Shape.Batch || d == 0 || d > int.MaxValue)
                throw new ArgumentOutOfRangeException(key, $"the attribute '{key}' must be a size of at least 1 or −1 (the batch dimension), got {d}");
            dims[k] = (int)d;
        }
        return GraphDiff.Shape.Of(dims);
    }
}
