namespace GraphDiff.Nn;

/// <summary>
/// The course's regularisers as graph building blocks: the L2 penalty λ/2m ΣW² added to a cost, and inverted
/// dropout applied to an activation in the training graph (leave it out of the prediction graph).
/// </summary>
public static class Regularization
{
    /// <summary>
    /// λ/(2m)·Σ‖W‖² over <paramref name="weights"/> (biases are not penalised), with m the number of columns of
    /// <paramref name="examples"/> (the input X): add it to the cost. Its gradient adds (λ/m)·W to each dW.
    /// </summary>
    public static Node L2(double lambda, IReadOnlyList<Node> weights, Node examples)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(examples);
        if (!(lambda >= 0 && double.IsFinite(lambda))) throw new ArgumentOutOfRangeException(nameof(lambda), $"λ must be non-negative and finite, got {lambda}.");
        if (weights.Count == 0) throw new ArgumentException("L2 needs at least one weight matrix.", nameof(weights));
        Node squares = Op.Sum(Op.Square(weights[0]));
        for (int k = 1; k < weights.Count; k++) squares = squares + Op.Sum(Op.Square(weights[k]));
        return (lambda / 2 * squares / Op.Count(examples, axis: 1)).Named("L2");
    }

    /// <summary>
    /// Inverted dropout: A·D/keep with D a fresh random 0/1 mask (each unit kept with probability
    /// <paramref name="keepProbability"/>) every time the graph is evaluated, so that the expected activation is
    /// unchanged. The masks come from a random source seeded with <paramref name="seed"/>: a run is reproducible.
    /// Use it in the training graph only; the gradient flows through the same mask (dA = dA_dropped·D/keep).
    /// A keep probability of 1 returns <paramref name="activation"/> itself.
    /// </summary>
    public static Node Dropout(Node activation, double keepProbability, int seed)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (!(keepProbability is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(keepProbability), $"The keep probability must be in (0, 1], got {keepProbability}.");
        if (keepProbability == 1) return activation;
        var mask = Node.Apply(new DropoutMaskOperation(keepProbability, seed), [activation], activation.Location);
        return activation * mask;
    }
}

/// <summary>
/// A random mask of its operand's shape, each element 1/keep with probability keep and 0 otherwise, drawn anew
/// at each evaluation; the operand gives only the shape, so no gradient flows to it. One instance per dropout,
/// so the compiler never merges two masks.
/// </summary>
internal sealed class DropoutMaskOperation(double keep, int seed) : Operation
{
    private readonly Random random = new(seed);
    private readonly Lock gate = new();

    internal const string OperationName = "DropoutMask";

    public double Keep { get; } = keep;
    public int Seed { get; } = seed;

    public override string Name => OperationName;

    public override IReadOnlyDictionary<string, double> Attributes => new Dictionary<string, double> { ["keep"] = Keep, ["seed"] = Seed };

    // One independent draw per element, whatever the rank: images and feature maps drop out alike.
    public override bool AcceptsAnyRank => true;

    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        double scale = 1 / Keep;
        lock (gate)
            for (int j = 0; j < result.Columns; j++)
            {
                var column = result.Column(j);
                for (int i = 0; i < column.Length; i++) column[i] = random.NextDouble() < Keep ? scale : 0;
            }
    }

    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [null];

    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"DropoutMask(keep {Keep})";

    /// <summary>Lets saved graphs with dropout be read back (the masks restart from the seed); safe to call more than once.</summary>
    internal static void Register() => _ = Registered.Value;

    private static readonly Lazy<bool> Registered = new(() =>
    {
        OperationRegistry.Register(OperationName, a => new DropoutMaskOperation(a["keep"], (int)a["seed"]));
        return true;
    });
}
