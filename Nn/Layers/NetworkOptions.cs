namespace GraphDiff.Nn;

/// <summary>Settings for <see cref="Network.Create(IReadOnlyList{int}, NetworkOptions?, string, int)"/>.</summary>
public sealed record NetworkOptions
{
    /// <summary>The hidden layers' activation; ReLU as in the course's L-layer network.</summary>
    public Activation Hidden { get; init; } = Activation.ReLU;

    /// <summary>The output layer's activation; sigmoid for binary classification.</summary>
    public Activation Output { get; init; } = Activation.Sigmoid;

    /// <summary>The cost; by default the natural one for <see cref="Output"/>.</summary>
    public CostFunction? Cost { get; init; }

    /// <summary>The weight initialisation; He by default (suits ReLU).</summary>
    public Initialization Initialization { get; init; } = Initialization.He;

    /// <summary>The seed of the random source for initialisation and dropout: the same seed gives the same network.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// λ of L2 regularisation: the cost gains λ/2m·Σ‖W[l]‖² (the course's <c>compute_cost_with_regularization</c>);
    /// 0 (the default) is none.
    /// </summary>
    public double L2 { get; init; }

    /// <summary>
    /// The keep probability of inverted dropout on every hidden layer's activations, during training only
    /// (predictions use every unit); 1 (the default) is no dropout.
    /// </summary>
    public double KeepProbability { get; init; } = 1;

    /// <summary>
    /// What the network's training steps, predictions and costs compute in: <see cref="Precision.Double"/> (the
    /// default) or <see cref="Precision.Single"/>, float32, about twice as fast on large layers. The parameters stay
    /// double either way, and gradient checks, <c>LearnerGradients</c>, the ledger and the sheets always evaluate in
    /// double, so their 1e−7 criteria keep their meaning. Model files record it.
    /// </summary>
    public Precision Precision { get; init; } = Precision.Double;
}
