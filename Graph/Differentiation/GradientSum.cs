using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// The sum of the gradient contributions reaching a node used by several consumers: the multivariate chain
/// rule ∂J/∂x = Σ over consumers. It lives with differentiation, which is its only user; operands all have the
/// node's shape.
/// </summary>
internal sealed class GradientSum : Operation
{
    internal static readonly GradientSum Instance = new()
    {
        KeepsFinite = false,
        Info = new() { Domain = OperationInfo.Anywhere, Onnx = OperationInfo.OnnxAs("Sum"), Code = "" },
    };

    /// <inheritdoc />
    public override string Name => "GradientSum";

    /// <summary>Contributions of equal shapes add element by element on their storage, whatever the rank (an image used twice).</summary>
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override int Precedence => FormattedOperand.Additive;

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        for (int k = 1; k < inputs.Count; k++)
            if (inputs[k].Shape != inputs[0].Shape)
                throw ShapeMismatchException.For(Name, [inputs[0], inputs[k]], "gradient contributions must have the shape of the node they differentiate");
        return inputs[0].Shape;
    }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        var r = result.Span;
        TensorPrimitives.Add(inputs[0].Span, inputs[1].Span, r);
        for (int k = 2; k < inputs.Length; k++) TensorPrimitives.Add(r, inputs[k].Span, r);
    }

    public override void Forward(ReadOnlySpan<Tensor<float>> inputs, Tensor<float> result)
    {
        var r = result.Span;
        TensorPrimitives.Add(inputs[0].Span, inputs[1].Span, r);
        for (int k = 2; k < inputs.Length; k++) TensorPrimitives.Add(r, inputs[k].Span, r);
    }

    /// <summary>The contributions added left to right, as the kernel adds them.</summary>
    protected internal override System.Linq.Expressions.Expression? ScalarForm(IReadOnlyList<System.Linq.Expressions.Expression> operands)
    {
        var sum = System.Linq.Expressions.Expression.Add(operands[0], operands[1]);
        for (int k = 2; k < operands.Count; k++) sum = System.Linq.Expressions.Expression.Add(sum, operands[k]);
        return sum;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => node.Inputs.Select(_ => (Node?)upstream).ToArray();

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        string.Join(" + ", operands.Select(o => o.Within(FormattedOperand.Additive)));
}
