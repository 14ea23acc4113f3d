using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// Sums elements, keeping two dimensions like numpy's <c>keepdims=True</c>: with no axis, everything (1×1);
    /// <c>axis: 0</c>, down each column (1×n); <c>axis: 1</c>, across each row (n×1), the course's
    /// <c>np.sum(dZ, axis=1, keepdims=True)</c> for db.
    /// </summary>
    public static Node Sum(Node x, int? axis = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        RequireAxis("Sum", x, axis);
        return Node.Apply(SumOperation.For(axis), [x], At(file, line));
    }

    /// <summary>A reduction's operand must be given and its axis 0 (down columns), 1 (across rows) or omitted (all).</summary>
    private static void RequireAxis(string operation, Node x, int? axis, [CallerArgumentExpression(nameof(x))] string? parameter = null)
    {
        ArgumentNullException.ThrowIfNull(x, parameter);
        if (axis is { } a && x.Shape.Rank > 2)
            throw new ArgumentOutOfRangeException(nameof(axis), $"{operation}({x.Label}, axis: {a}): x is {x.Shape}, and axis 0 or 1 is a matrix's; " +
                $"over axes of a value of rank {x.Shape.Rank}, name them: Op.{operation}({x.Label}, axes: [{a}]).");
        if (axis is not (null or 0 or 1))
            throw new ArgumentOutOfRangeException(nameof(axis), $"{operation}({x.Label}): axis must be 0 (down columns), 1 (across rows) or omitted (all), got {axis}.");
    }
}

/// <summary>
/// y = Σ x over an axis (or all). Every summed element has derivative 1, so ∂J/∂x is the upstream gradient
/// broadcast back to x's shape.
/// </summary>
internal sealed class SumOperation : AxisOperation
{
    private static readonly SumOperation All = new(null), Down = new(0), Across = new(1);
    private SumOperation(int? axis) : base(axis)
    {
        Info = new()
        {
            Domain = OperationInfo.Anywhere,
            Onnx = (onnx, _, x) => axis is { } a
                ? onnx.Add("ReduceSum", [x[0], onnx.Int64s(a)], ("keepdims", 1L))
                : onnx.Add("Reshape", [onnx.Add("ReduceSum", [x[0]], ("keepdims", 0L)), onnx.Int64s(1, 1)]),   // 1×1 whatever the rank
            Code = CodeAlong("Sum", axis),
            Rebuild = a => For(AxisOf(a)),
        };
    }

    internal static SumOperation For(int? axis) => axis switch { null => All, 0 => Down, _ => Across };
    /// <inheritdoc />
    public override string Name => "Sum";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => ReducedShape(inputs[0].Shape, Axis);

    internal static Shape ReducedShape(Shape s, int? axis) => axis switch
    {
        null => Shape.Scalar,
        0 => new Shape(1, s.Columns),
        _ => new Shape(s.Rows, 1),
    };

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => TensorMath.Sum(inputs[0], Axis, result);

    public override void Forward(ReadOnlySpan<Tensor<float>> inputs, Tensor<float> result) => TensorMath.Sum(inputs[0], Axis, result);

    /// <inheritdoc />
    // Summed over a dimension of size 1, nothing was added up: the gradient passes through as it is.
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [node.Inputs[0].Shape == node.Shape ? upstream : Op.BroadcastTo(upstream, node.Inputs[0])];

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        Axis is { } a ? $"Sum({operands[0].Text}, axis: {a})" : $"Sum({operands[0].Text})";
}
