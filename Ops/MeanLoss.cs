namespace GraphDiff;

/// <summary>
/// Base of the losses that are a mean over the m examples (columns) of a sum of per-element terms,
/// J = 1/m Σᵢⱼ term(pᵢⱼ, yᵢⱼ), for a prediction p and labels y of one shape: the scalar shape rule and the
/// forward loop live here; a loss gives its term and its two gradients.
/// </summary>
public abstract class MeanLoss : Operation
{
    /// <inheritdoc />
    public sealed override Shape InferShape(IReadOnlyList<Node> inputs) => Shape.Scalar;

    /// <summary>One element's term of the sum, before the mean.</summary>
    protected abstract double Term(double prediction, double label);

    /// <inheritdoc />
    public sealed override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        var p = inputs[0].Span;
        var y = inputs[1].Span;
        double total = 0;
        for (int i = 0; i < p.Length; i++) total += Term(p[i], y[i]);
        result[0, 0] = total / inputs[0].Columns;
    }

    /// <summary>The upstream gradient over m, the factor both gradients of a mean carry.</summary>
    protected static Node PerExample(Node upstream, Node prediction) => Op.Divide(upstream, Op.Count(prediction, axis: 1));
}
