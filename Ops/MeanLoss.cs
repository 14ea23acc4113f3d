namespace GraphDiff;

/// <summary>
/// Base of the losses that are a mean over the m examples (columns), J = 1/m Σ terms(p, y), for a prediction p
/// and labels y of one shape: the name, the scalar shape rule, the forward and the 1/m both gradients carry live
/// here; a loss gives the sum of its terms and its two gradients.
/// </summary>
internal abstract class MeanLoss : Operation
{
    /// <summary>A loss named <paramref name="name"/> (its builder and shape errors use it), declared by <paramref name="info"/>.</summary>
    protected MeanLoss(string name, OperationInfo info)
    {
        Name = name;
        Info = info;
    }

    /// <inheritdoc />
    public sealed override string Name { get; }

    /// <summary>A scalar, for predictions and labels of one shape (the builders check it first, naming their parameters).</summary>
    public sealed override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Losses.RequireSameShape(Name, inputs[0], inputs[1]);
        return Shape.Scalar;
    }

    /// <inheritdoc />
    public sealed override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        result[0, 0] = Total(inputs[0], inputs[1]) / inputs[0].Columns;   // over m = 0 examples: NaN, reported as empty data
    }

    /// <summary>The sum of the loss's terms over every example, before the mean.</summary>
    protected abstract double Total(Tensor prediction, Tensor labels);

    /// <inheritdoc />
    public sealed override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        Backward(node.Inputs[0], node.Inputs[1], Op.Divide(upstream, Op.Count(node.Inputs[0], axis: 1)));

    /// <summary>
    /// The gradients with respect to the prediction and the labels, given <paramref name="scale"/>, the upstream
    /// gradient over m that both gradients of a mean carry.
    /// </summary>
    protected abstract IReadOnlyList<Node?> Backward(Node prediction, Node labels, Node scale);
}
