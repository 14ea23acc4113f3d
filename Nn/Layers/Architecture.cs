namespace GraphDiff.Nn;

/// <summary>
/// What a network is, apart from its parameter values: the layer sizes [n[0], n[1], …, n[L]], each layer's
/// activation, and the cost; or, for a ConvNet, the input's shape and a list of <see cref="Layer"/>s. Saved with a
/// model so it can be rebuilt.
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
        Input = new Shape(layerSizes[0], Shape.Batch);
        Layers = Enumerable.Range(1, Depth).Select(l => Layer.Dense(layerSizes[l], activations[l - 1])).ToArray();
        IsDense = true;
    }

    /// <summary>
    /// A network of layers on inputs of shape <paramref name="input"/> (batch last), e.g.
    /// <c>new Architecture(Shape.Of(28, 28, 1, Shape.Batch), [Layer.Conv2D(16, 5, padding: 2), Layer.MaxPool(2),
    /// Layer.Flatten(), Layer.Dense(10, Activation.Softmax)], CostFunction.SoftmaxCrossEntropy)</c>. Each layer's
    /// shape is checked against its input here: one that does not fit is named with the shapes.
    /// </summary>
    public Architecture(Shape input, IReadOnlyList<Layer> layers, CostFunction cost)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        if (layers.Any(l => l is null)) throw new ArgumentNullException(nameof(layers), "A layer is null.");
        if (input.Columns != Shape.Batch || input.Rank is not (2 or 4) || input.Dimensions[..^1].Any(d => d <= 0))
            throw new ArgumentException($"The input is one example's sizes with the batch last, (n, m) or (n_H, n_W, n_C, m), e.g. Shape.Of(28, 28, 1, Shape.Batch); got {input}.", nameof(input));
        var sizes = new List<int> { input.Rows };
        var shape = input;
        for (int l = 0; l < layers.Count; l++)
        {
            shape = layers[l].OutputShape(l + 1, shape);
            shape.EnsureFits($"Layer {l + 1} ({layers[l]})");
            sizes.Add(shape.Rows);
        }
        if (shape.Rank != 2)
            throw new ArgumentException($"The last layer ({layers[^1]}) gives {shape}; the output must be (n, m) columns: end with Layer.Flatten() and dense layers.", nameof(layers));
        if (cost == CostFunction.SoftmaxCrossEntropy && layers[^1].Activation.Meaning != OperationMeaning.Distribution)
            throw new ArgumentException("Softmax cross-entropy needs a softmax output layer (an activation whose output columns are distributions).", nameof(cost));
        Input = input;
        Layers = layers.ToArray();
        LayerSizes = sizes;
        Activations = layers.Select(l => l.Activation).ToArray();
        Cost = cost;
        IsDense = input.Rank == 2 && layers.All(l => l.Kind == Layer.Kinds.Dense);
    }

    /// <summary>The shape of the input X, batch last: (n[0], m), or e.g. (28, 28, 1, m) for images.</summary>
    public Shape Input { get; }

    /// <summary>The layers after the input, first to last (for an architecture of layer sizes, its dense layers).</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>Dense layers only on (n, m) inputs: the course's L-layer network, saved in the first model format.</summary>
    internal bool IsDense { get; }

    /// <summary>[n[0], n[1], …, n[L]]: input features, then each layer's units (for a layer of images, n_H·n_W·n_C).</summary>
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
        if (!IsDense) return $"{string.Join(" → ", Layers)}  (input {Input}, cost {Cost})";
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
        other is not null && Input == other.Input && Layers.SequenceEqual(other.Layers) && Cost == other.Cost;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LayerSizes.Count, Cost);
}
