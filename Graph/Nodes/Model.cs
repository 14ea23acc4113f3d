namespace GraphDiff;

/// <summary>
/// A model as a value: the cost to minimise, the outputs it predicts, the parameters to train, and the inputs
/// to feed (found in the graph). Training, gradient checking and saving accept a model, so a hand-built graph
/// is handled exactly like a network (<c>Network.Model</c>).
/// </summary>
public sealed class Model
{
    /// <summary>A model minimising <paramref name="cost"/> (1×1) over <paramref name="parameters"/>, predicting <paramref name="outputs"/>.</summary>
    /// <param name="cost">The cost J, 1×1.</param>
    /// <param name="parameters">The variables to train.</param>
    /// <param name="outputs">The predictions (none by default).</param>
    /// <param name="precision">What the trainer computes in by default (<see cref="GraphDiff.Precision"/>): double unless said.</param>
    public Model(Node cost, IReadOnlyList<Variable> parameters, IReadOnlyList<Node>? outputs = null, Precision precision = Precision.Double)
    {
        if (!Enum.IsDefined(precision)) throw new ArgumentOutOfRangeException(nameof(precision), $"{precision} is not a Precision: use Precision.Double or Precision.Single.");
        Precision = precision;
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!cost.Shape.IsScalar)
            throw new ArgumentException($"The cost {cost.Label} (built at {cost.Location}) must be 1×1, but is {cost.Shape}; reduce it first (Op.Sum, Op.Mean).", nameof(cost));
        if (parameters.Count == 0) throw new ArgumentException("A model needs at least one parameter to train.", nameof(parameters));
        foreach (var p in parameters) ArgumentNullException.ThrowIfNull(p, nameof(parameters));
        Cost = cost;
        Parameters = parameters.ToArray();
        Outputs = outputs?.ToArray() ?? [];
        foreach (var o in Outputs) ArgumentNullException.ThrowIfNull(o, nameof(outputs));
        Inputs = Graph.Order([cost, .. Outputs]).OfType<Input>().ToArray();
    }

    /// <summary>
    /// What training computes in unless its options say otherwise: a network's <c>NetworkOptions.Precision</c>, double
    /// for a model built by hand unless given. The graph itself has no precision: any plan may evaluate it in either.
    /// </summary>
    public Precision Precision { get; }

    /// <summary>The cost J, 1×1.</summary>
    public Node Cost { get; }

    /// <summary>The trainable parameters.</summary>
    public IReadOnlyList<Variable> Parameters { get; }

    /// <summary>What the model predicts (may be empty).</summary>
    public IReadOnlyList<Node> Outputs { get; }

    /// <summary>Every input the cost and the outputs read.</summary>
    public IReadOnlyList<Input> Inputs { get; }

    /// <summary>The input named <paramref name="name"/>.</summary>
    public Input Input(string name) => Inputs.FirstOrDefault(i => i.Name == name)
        ?? throw new ArgumentException($"The model has no input '{name}'; its inputs are {string.Join(", ", Inputs.Select(i => $"'{i.Name}'"))}.", nameof(name));
}
