namespace GraphDiff;

/// <summary>
/// Base of the losses that are a mean over the m examples (columns) of a sum of per-element terms,
/// J = 1/m Σᵢⱼ term(pᵢⱼ, yᵢⱼ), for a prediction p and labels y of one shape: the scalar shape rule and the
/// forward live here; a loss gives the sum of its terms and its two gradients.
/// </summary>
internal abstract class MeanLoss : Operation
{
    /// <summary>A scalar, for predictions and labels of one shape (the builders check it first, naming their parameters).</summary>
    public sealed override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Losses.RequireSameShape(Name, inputs[0], inputs[1]);
        return Shape.Scalar;
    }

    /// <inheritdoc />
    public sealed override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        result[0, 0] = Total(inputs[0].Span, inputs[1].Span) / inputs[0].Columns;
    }

    /// <summary>Σᵢ term(p[i], y[i]) over every element, before the mean.</summary>
    protected abstract double Total(ReadOnlySpan<double> prediction, ReadOnlySpan<double> label);

    /// <summary>The upstream gradient over m, the factor both gradients of a mean carry.</summary>
    protected static Node PerExample(Node upstream, Node prediction) => Op.Divide(upstream, Op.Count(prediction, axis: 1));
}
