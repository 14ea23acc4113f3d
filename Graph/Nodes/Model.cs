namespace GraphDiff;

/// <summary>
/// A model as a value: the cost to minimise, the outputs it predicts, the parameters to train, and the inputs
/// to feed (found in the graph). Training, gradient checking and saving accept a model, so a hand-built graph
/// is handled exactly like a network (<c>Network.Model</c>).
/// </summary>
public sealed class Model
{
    /// <summary>A model minimising <paramref name="cost"/> (1×1) over <paramref name="parameters"/>, predicting <paramref name="outputs"/>.</summary>
    public Model(Node cost, IReadOnlyList<Variable> parameters, IReadOnlyList<Node>? outputs = null)
    {
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
