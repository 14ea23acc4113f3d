namespace GraphDiff.Nn;

/// <summary>
/// What a network is, apart from its parameter values: the layer sizes [n[0], n[1], …, n[L]], each layer's
/// activation, and the cost. Saved with a model so it can be rebuilt.
/// </summary>
public sealed record Architecture
{
    /// <summary>Creates an architecture, checking that there is one activation per layer.</summary>
    public Architecture(IReadOnlyList<int> layerSizes, IReadOnlyList<Activation> activations, CostFunction cost)
    {
        if (layerSizes.Count < 2)
            throw new ArgumentException($"A network needs at least an input size and an output size, e.g. [784, 1]; got [{string.Join(", ", layerSizes)}].", nameof(layerSizes));
        if (activations.Count != layerSizes.Count - 1)
            throw new ArgumentException($"{layerSizes.Count - 1} layers need {layerSizes.Count - 1} activations, got {activations.Count}.", nameof(activations));
        for (int l = 0; l < layerSizes.Count; l++)
            if (layerSizes[l] <= 0) throw new ArgumentOutOfRangeException(nameof(layerSizes), $"n[{l}] must be positive, got {layerSizes[l]}.");
        if (activations.Any(a => a is null)) throw new ArgumentNullException(nameof(activations), "An activation is null; use Activation.Identity for none.");
        if (cost == CostFunction.SoftmaxCrossEntropy && activations[^1].Meaning != OperationMeaning.Distribution)
            throw new ArgumentException("Softmax cross-entropy needs a softmax output layer (an activation whose output columns are distributions).", nameof(cost));
        LayerSizes = layerSizes.ToArray();
        Activations = activations.ToArray();
        Cost = cost;
    }

    /// <summary>[n[0], n[1], …, n[L]]: input features, then each layer's units.</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>g[1] … g[L].</summary>
    public IReadOnlyList<Activation> Activations { get; }

    /// <summary>The cost minimised.</summary>
    public CostFunction Cost { get; }

    /// <summary>The number of layers L (the input layer is not counted, as in the course).</summary>
    public int Depth => LayerSizes.Count - 1;

    /// <summary>The course's notation, e.g. <c>[LINEAR→RELU]×2 → LINEAR→SIGMOID</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        int l = 0;
        while (l < Activations.Count - 1)
        {
            int run = 1;
            while (l + run < Activations.Count - 1 && Activations[l + run] == Activations[l]) run++;
            parts.Add(run > 1 ? $"[LINEAR→{Activations[l].CourseName}]×{run}" : $"LINEAR→{Activations[l].CourseName}");
            l += run;
        }
        parts.Add($"LINEAR→{Activations[^1].CourseName}");
        return $"{string.Join(" → ", parts)}  (layers {string.Join("-", LayerSizes)}, cost {Cost})";
    }

    /// <inheritdoc />
    public bool Equals(Architecture? other) =>
        other is not null && LayerSizes.SequenceEqual(other.LayerSizes) && Activations.SequenceEqual(other.Activations) && Cost == other.Cost;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LayerSizes.Count, Cost);
}
