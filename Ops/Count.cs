using GraphDiff.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// How many elements <see cref="Sum(Node, int?, string, int)"/> adds along <paramref name="axis"/> (all: rows·columns; 0: rows;
    /// 1: columns, which is m for a batch), as a 1×1 node known at evaluation. Means divide by it.
    /// </summary>
    public static Node Count(Node x, int? axis = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        RequireAxis("Count", x, axis);
        return Node.Apply(CountOperation.For(axis), [x], At(file, line));
    }
}

/// <summary>The number of elements along an axis, a constant of the shape: no gradient flows through it.</summary>
internal sealed class CountOperation : AxisOperation
{
    // One instance per axis, so that equal counts are one node to the compiler.
    private static readonly CountOperation AllElements = new(null), OfRows = new(0), OfColumns = new(1);
    private CountOperation(int? axis) : base(axis)
    {
        Info = new()
        {
            Domain = OperationInfo.Anywhere,
            Onnx = (onnx, _, x) =>
            {
                var count = axis is { } a ? onnx.Add("Gather", [onnx.Add("Shape", [x[0]]), onnx.Int64s(a)]) : onnx.Add("Size", [x[0]]);
                return onnx.Add("Reshape", [onnx.Add("Cast", [count], ("to", (long)onnx.ElementType)), onnx.Int64s(1, 1)]);
            },
            Code = CodeAlong("Count", axis),
            Rebuild = a => For(AxisOf(a)),
        };
    }
    internal static CountOperation For(int? axis) => axis switch { null => AllElements, 0 => OfRows, _ => OfColumns };

    /// <inheritdoc />
    public override string Name => "Count";
    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => Shape.Scalar;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => result[0, 0] = Of<double>(inputs[0]);

    public override void Forward(ReadOnlySpan<Tensor<float>> inputs, Tensor<float> result) => result[0, 0] = (float)Of(inputs[0]);

    private double Of<T>(Tensor<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Axis switch { null => (double)x.Rows * x.Columns, 0 => x.Rows, _ => x.Columns };

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [null];

    /// <summary>A count of columns that are the batch dimension prints as the course's m.</summary>
    public override string Format(Node node, IReadOnlyList<FormattedOperand> operands) =>
        Axis == 1 && node.Inputs[0].Shape.Columns == Shape.Batch ? "m" : Format(operands);

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => Axis switch
    {
        null => $"size({operands[0].Text})",
        0 => $"rows({operands[0].Text})",
        _ => $"columns({operands[0].Text})",
    };
}
