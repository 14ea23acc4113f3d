using System.Runtime.CompilerServices;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Nn;

/// <summary>
/// A feed-forward network defined as a graph: inputs X (n[0], m) and Y (n[L], m), dense layers, the output A[L]
/// and the cost J. Everything is an ordinary node, so the graph tools apply: print it, differentiate it,
/// check its gradients (<see cref="GradientCheck"/>), or extend it. Nothing here computes a derivative by
/// hand: training uses the graph's reverse mode.
/// </summary>
public sealed class Network
{
    private readonly LayerStack stack;
    private readonly PlanPool outputPlans;
    private readonly PlanPool costPlans;
    // What the cost needs of its labels, found once: ComputeCost may serve many requests.
    private readonly (bool Binary, bool Distribution) labelDomains;

    /// <summary>Builds a network from an architecture, initialising the weights. Its nodes record the caller's line.</summary>
    /// <remarks>
    /// With <paramref name="l2"/> &gt; 0 the cost gains λ/2m·Σ‖W‖²; with <paramref name="keepProbability"/> &lt; 1 the
    /// training cost applies inverted dropout to every hidden activation (seeded from <paramref name="seed"/>),
    /// while <see cref="Output"/>, predictions and <see cref="EvaluationCost"/> use every unit. Model files keep these
    /// settings with the architecture and parameters.
    /// </remarks>
    public Network(Architecture architecture, Initialization initialization = Initialization.He, int seed = 1,
        double l2 = 0, double keepProbability = 1, Precision precision = Precision.Double,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (!Enum.IsDefined(precision)) throw new ArgumentOutOfRangeException(nameof(precision), $"{precision} is not a Precision: use Precision.Double or Precision.Single.");
        Precision = precision;
        if (!(l2 >= 0 && double.IsFinite(l2))) throw new ArgumentOutOfRangeException(nameof(l2), $"λ of L2 regularisation must be non-negative and finite, got {l2}.");
        if (!(keepProbability is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(keepProbability), $"The dropout keep probability must be in (0, 1], got {keepProbability}.");
        using var scope = SourceLocation.UseCaller(file, line);
        Architecture = architecture;
        X = Graph.Input("X", architecture.Input);
        Y = Graph.Input("Y", architecture.LayerSizes[^1]);
        stack = new LayerStack(architecture, initialization, new Random(seed), X);
        (Scores, Output) = (stack.Scores, stack.Output);
        Layers = stack.Dense;
        L2 = l2;
        KeepProbability = keepProbability;
        Seed = seed;
        // Written as the course writes it (a sigmoid output's cost is BCE(A, Y)); plans and gradients compile it,
        // and the compiler computes that cross-entropy from the logits Z[L]: the same J, with a gradient exactly
        // (A − Y)/m even where σ saturates (through the clipped form it is 0 there, and a confidently wrong
        // prediction would stop learning).
        var penalty = l2 > 0 ? Regularization.L2(l2, stack.Weights.Select(w => w.Shape.Rank == 2 ? w : Op.Reshape(w, new Shape(w.Shape.Rows, w.Shape.Columns))).ToArray(), X.Shape.Rank == 2 ? X : Y) : null;
        Node Regularised(Node loss) => penalty is null ? loss : loss + penalty;
        EvaluationCost = Regularised(Costs.Build(architecture.Cost, Scores, Output, Y)).Named("J");
        // The training graph differs when dropout is on (masks after hidden dense layers) or batch norm normalises
        // with the batch's statistics, which it then also computes for the running averages.
        var statistics = new List<RunningAverages.Entry>();
        if (keepProbability < 1 || stack.HasBatchNorm)
        {
            var (trainingScores, trainingOutput) = stack.Forward(X, statistics, keepProbability, seed);
            Cost = Regularised(Costs.Build(architecture.Cost, trainingScores, trainingOutput, Y)).Named("J");
        }
        else Cost = EvaluationCost;
        Averages = new RunningAverages(statistics);
        Parameters = stack.Parameters;
        RunningAverages = stack.RunningAverages;
        Model = new Model(Cost, Parameters, [Output], precision);
        outputPlans = new PlanPool(() => new EvaluationPlan([Output], precision));
        costPlans = new PlanPool(() => new EvaluationPlan([EvaluationCost], precision));
        labelDomains = LabelCheck.DomainsOf(Cost, Y);
    }

    /// <summary>
    /// A network from layer sizes, e.g. <c>[784, 128, 64, 1]</c> meaning [LINEAR→RELU]×2 → LINEAR→SIGMOID.
    /// </summary>
    public static Network Create(IReadOnlyList<int> layerSizes, NetworkOptions? options = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        options ??= new NetworkOptions();
        ArgumentNullException.ThrowIfNull(layerSizes);
        if (layerSizes.Count < 2)
            throw new ArgumentException($"A network needs at least an input size and an output size, e.g. [784, 1]; got [{string.Join(", ", layerSizes)}].", nameof(layerSizes));
        var activations = Enumerable.Repeat(options.Hidden, layerSizes.Count - 2).Append(options.Output).ToArray();
        var architecture = new Architecture(layerSizes, activations, options.Cost ?? Costs.DefaultFor(options.Output));
        return new Network(architecture, options.Initialization, options.Seed, options.L2, options.KeepProbability, options.Precision, file, line);
    }

    /// <summary>Logistic regression: the one-layer network ŷ = σ(w·x + b), with zero-initialised weights as in the course.</summary>
    public static Network LogisticRegression(int features, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Create([features, 1], new NetworkOptions { Output = Activation.Sigmoid, Initialization = Initialization.Zeros }, file, line);

    /// <summary>Layer sizes, activations and cost.</summary>
    public Architecture Architecture { get; }

    /// <summary>The dense layers, first to last (every layer of an architecture of layer sizes; see <see cref="Architecture.Layers"/> for all).</summary>
    public IReadOnlyList<DenseLayer> Layers { get; }

    /// <summary>
    /// The running mean and variance of every batch-norm layer (mean[l], variance[l], (n_C, 1)), which predictions and
    /// <see cref="EvaluationCost"/> normalise with; <see cref="Trainer"/> moves them after each step. Saved with the model.
    /// </summary>
    public IReadOnlyList<Variable> RunningAverages { get; }

    /// <summary>The batch statistics and the running averages they move, for the trainer.</summary>
    internal RunningAverages Averages { get; }

    /// <summary>The examples, (n[0], m), or images (n_H, n_W, n_C, m) fed as (n_H·n_W·n_C, m) columns.</summary>
    public Input X { get; }

    /// <summary>The labels, (n[L], m): 0/1 for sigmoid, one-hot for softmax.</summary>
    public Input Y { get; }

    /// <summary>Z[L], the last layer's linear output (the scores or logits).</summary>
    public Node Scores { get; }

    /// <summary>A[L] = ŷ, the predictions (probabilities for sigmoid and softmax).</summary>
    public Node Output { get; }

    /// <summary>The cost J that training minimises: the loss of the training graph (with dropout, when it is on), plus the L2 penalty.</summary>
    public Node Cost { get; }

    /// <summary>The cost J with every unit (no dropout), L2 penalty included: what validation and <see cref="ComputeCost"/> report.</summary>
    public Node EvaluationCost { get; }

    /// <summary>λ of the L2 penalty (0: none).</summary>
    public double L2 { get; }

    /// <summary>The keep probability of dropout on hidden activations during training (1: none).</summary>
    public double KeepProbability { get; }

    /// <summary>The seed of the network's initialisation and of its dropout masks.</summary>
    public int Seed { get; }

    /// <summary>
    /// What training, predictions and costs compute in (<see cref="NetworkOptions.Precision"/>); the parameters are
    /// double whatever it is, and checks of the network's gradients evaluate in double.
    /// </summary>
    public Precision Precision { get; }

    /// <summary>Examples <paramref name="x"/> and labels <paramref name="y"/> as training data for this network's X and Y, e.g. a validation set.</summary>
    public TrainingData Data(Matrix<double> x, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return new TrainingData { { X, x }, { Y, y } };
    }

    /// <summary>The network as a <see cref="GraphDiff.Model"/> (cost J, output A[L], parameters, inputs X and Y), for training, checking and saving.</summary>
    public Model Model { get; }

    /// <summary>W1, b1, W2, b2, … in order (gamma[l], beta[l] for a batch-norm layer).</summary>
    public IReadOnlyList<Variable> Parameters { get; }

    /// <summary>
    /// A[L] for the examples <paramref name="x"/> (columns), as a new matrix. Safe to call from several threads at
    /// once (each concurrent call gets its own evaluation plan), as long as no thread trains the network meanwhile.
    /// </summary>
    public Matrix<double> PredictProbabilities(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return outputPlans.With(plan => plan.Run(new Feed { { X, x } })[Output]);
    }

    /// <summary>
    /// A[L] for examples held as float32 (<see cref="IdxFile.ReadImagesSingle"/>), as a new matrix: a float32 network
    /// reads them as they are, a double one widens them. Thread-safe like <see cref="PredictProbabilities(Matrix{double})"/>.
    /// </summary>
    public Matrix<double> PredictProbabilities(GraphDiff.Tensors.Tensor<float> x)
    {
        if (x.Array is null) throw new ArgumentException("The examples are a default tensor without storage.", nameof(x));
        return outputPlans.With(plan =>
        {
            var feed = new Feed();
            feed.Add(X, x);
            return plan.Run(feed)[Output];
        });
    }

    /// <summary>The predicted class of each example held as float32, as <see cref="Predict(Matrix{double}, double)"/> decides it.</summary>
    public int[] Predict(GraphDiff.Tensors.Tensor<float> x, double threshold = 0.5) => Labels.Decide(PredictProbabilities(x), threshold);

    /// <summary>
    /// The predicted class of each example: for a single sigmoid output, 1 where ŷ &gt; <paramref name="threshold"/>
    /// (0.5 by default) else 0; for several outputs, the row with the largest value. Thread-safe like
    /// <see cref="PredictProbabilities(Matrix{double})"/>.
    /// </summary>
    public int[] Predict(Matrix<double> x, double threshold = 0.5) => Labels.Decide(PredictProbabilities(x), threshold);

    /// <summary>
    /// The cost J on examples <paramref name="x"/> with labels <paramref name="y"/>. The labels are checked against
    /// the cost's domain first (0/1 or probabilities for cross-entropy, one-hot columns for softmax), naming the
    /// first bad example. Thread-safe like <see cref="PredictProbabilities(Matrix{double})"/>.
    /// </summary>
    public double ComputeCost(Matrix<double> x, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        LabelCheck.Check(labelDomains, Y, y);
        return costPlans.With(plan => plan.Run(new Feed { { X, x }, { Y, y } }).Scalar(EvaluationCost));
    }

    /// <summary>The number of trainable parameters.</summary>
    public long ParameterCount => Parameters.Sum(p => p.Shape.ElementCount());

    /// <summary>The architecture with every layer's shapes, as a learner wants to see it.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Architecture.ToString());
        if (!Architecture.IsDense)
        {
            sb.AppendLine($"  X: {X.Shape}   (fed as {X.Shape.Rows}×m: one example per column)");
            foreach (var line in stack.Describe()) sb.AppendLine(line);
            sb.AppendLine($"  Y: {Y.Shape}   cost: {Architecture.Cost}   parameters: {ParameterCount:N0}");
            return sb.ToString();
        }
        sb.AppendLine($"  X: {X.Shape}   (n[0] = {Architecture.LayerSizes[0]} features, m examples as columns)");
        foreach (var layer in Layers)
            sb.AppendLine($"  layer {layer.Index}: {layer}   Z{layer.Index}, A{layer.Index}: {Architecture.LayerSizes[layer.Index]}×m");
        sb.AppendLine($"  Y: {Y.Shape}   cost: {Architecture.Cost}   parameters: {ParameterCount:N0}");
        return sb.ToString();
    }
}
