using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>
/// The variables of an architecture's layers, and the forward pass built from them: the evaluation graph (batch
/// norm with running averages) and the training graph (batch norm with batch statistics, dropout). Names follow
/// the course: W[l], b[l] for dense and convolution layers, Z[l] before the activation, A[l] after it, P[l] after
/// pooling, F[l] after flattening, gamma[l], beta[l] and the running mean[l], variance[l] for batch norm.
/// </summary>
internal sealed class LayerStack
{
    private readonly Entry[] entries;

    private sealed record Entry(Layer Layer, int Index, Shape Input, Shape Output, Variable? W = null, Variable? B = null,
        DenseLayer? Dense = null, Variable? RunningMean = null, Variable? RunningVariance = null);

    /// <summary>Creates each layer's variables and, layer after layer as the course builds it, the evaluation graph from <paramref name="x"/>.</summary>
    public LayerStack(Architecture architecture, Initialization initialization, Random random, Node x)
    {
        var shape = architecture.Input;
        var list = new List<Entry>();
        Node z = x, a = x;
        for (int l = 1; l <= architecture.Layers.Count; l++)
        {
            var layer = architecture.Layers[l - 1];
            var output = layer.OutputShape(l, shape);
            list.Add(layer.Kind switch
            {
                Layer.Kinds.Dense => DenseEntry(l, shape, output, layer, initialization, random),
                Layer.Kinds.Conv2D => Convolution(l, shape, output, layer, initialization, random),
                Layer.Kinds.BatchNorm => BatchNorm(l, shape, layer),
                _ => new Entry(layer, l, shape, output),
            });
            shape = output;
            (z, a) = Step(list[^1], a, null, 1, 0, last: l == architecture.Layers.Count);
        }
        (Scores, Output) = (z, a);
        entries = list.ToArray();
        Dense = entries.Select(e => e.Dense).OfType<DenseLayer>().ToArray();
        Parameters = entries.SelectMany(e => new[] { e.W, e.B }).OfType<Variable>().ToArray();
        Weights = entries.Where(e => e.Layer.Kind is Layer.Kinds.Dense or Layer.Kinds.Conv2D).Select(e => e.W!).ToArray();
        RunningAverages = entries.SelectMany(e => new[] { e.RunningMean, e.RunningVariance }).OfType<Variable>().ToArray();
    }

    private static Entry DenseEntry(int l, Shape input, Shape output, Layer layer, Initialization initialization, Random random)
    {
        var dense = new DenseLayer(l, input.Rows, layer.Units, layer.Activation, initialization, random);
        return new Entry(layer, l, input, output, dense.W, dense.B, dense);
    }

    // He (and Xavier) scale by the fan-in f·f·n_C_prev: the kernel's storage is (f·f·n_C_prev) × n_C, the transpose of
    // the (n_C × fan-in) matrix the initialiser draws.
    private static Entry Convolution(int l, Shape input, Shape output, Layer layer, Initialization initialization, Random random)
    {
        int channels = input[2], fanIn = layer.Size * layer.Size * channels;
        var kernel = Initializer.Weights(initialization, layer.Units, fanIn, random).Transpose();
        var w = Graph.Variable($"W{l}", Shape.Of(layer.Size, layer.Size, channels, layer.Units), kernel);
        var b = Graph.Variable($"b{l}", new DenseMatrix(layer.Units, 1));
        return new Entry(layer, l, input, output, w, b);
    }

    private static Entry BatchNorm(int l, Shape input, Layer layer)
    {
        int channels = input.Rank == 2 ? input.Rows : input[-2];
        Variable Filled(string name, double value) => Graph.Variable(name, DenseMatrix.Create(channels, 1, value));
        return new Entry(layer, l, input, input, Filled($"gamma{l}", 1), Filled($"beta{l}", 0), null, Filled($"mean{l}", 0), Filled($"variance{l}", 1));
    }

    /// <summary>Z[L] and A[L] of the evaluation graph (batch norm with the running averages, no dropout).</summary>
    public Node Scores { get; }

    /// <inheritdoc cref="Scores"/>
    public Node Output { get; }

    /// <summary>The dense layers, first to last.</summary>
    public IReadOnlyList<DenseLayer> Dense { get; }

    /// <summary>W, b (or γ, β) of every layer, in order: what training updates.</summary>
    public IReadOnlyList<Variable> Parameters { get; }

    /// <summary>The weights of dense and convolution layers: what L2 regularisation penalises.</summary>
    public IReadOnlyList<Variable> Weights { get; }

    /// <summary>μ[l], σ²[l] of every batch-norm layer, in order: updated after each training step, not by the optimiser.</summary>
    public IReadOnlyList<Variable> RunningAverages { get; }

    /// <summary>Whether training and evaluation graphs differ because of batch norm.</summary>
    public bool HasBatchNorm => RunningAverages.Count > 0;

    /// <summary>Each layer with its input and output shapes and its parameters, one line each.</summary>
    public IEnumerable<string> Describe() => entries.Select(e =>
        $"  layer {e.Index}: {e.Layer}   {string.Join("  ", new[] { e.W, e.B }.OfType<Variable>().Select(v => $"{v.Name}: {v.Shape}"))}{(e.W is null ? "" : "   ")}→ {e.Output}");

    /// <summary>
    /// The training graph's forward pass from <paramref name="x"/>: Z[L] and A[L]. Batch norm uses the batch's
    /// statistics and adds, per layer, its batch mean and variance nodes with the running averages they move to
    /// <paramref name="statistics"/>; <paramref name="keep"/> &lt; 1 applies dropout after every hidden dense layer.
    /// </summary>
    public (Node Z, Node A) Forward(Node x, List<RunningAverages.Entry> statistics, double keep, int seed)
    {
        Node z = x, a = x;
        foreach (var e in entries) (z, a) = Step(e, a, statistics, keep, seed, e == entries[^1]);
        return (z, a);
    }

    // One layer's nodes from the previous layer's output a; statistics null for the evaluation graph.
    private static (Node Z, Node A) Step(Entry e, Node a, List<RunningAverages.Entry>? statistics, double keep, int seed, bool last)
    {
        int l = e.Index;
        var layer = e.Layer;
        Node z;
        try
        {
            (z, a) = layer.Kind switch
            {
                Layer.Kinds.Dense => e.Dense!.Forward(a),
                Layer.Kinds.Conv2D => Activate(Op.Conv2D(a, e.W!, e.B!, layer.Stride, layer.Padding).Named($"Z{l}"), layer, l),
                Layer.Kinds.MaxPool => Same(Op.MaxPool2D(a, layer.Size, layer.Stride, layer.Padding).Named($"P{l}")),
                Layer.Kinds.AvgPool => Same(Op.AvgPool2D(a, layer.Size, layer.Stride, layer.Padding).Named($"P{l}")),
                Layer.Kinds.Flatten => Same(Op.Flatten(a).Named($"F{l}")),
                _ => Activate(Normalise(e, a, statistics).Named($"Z{l}"), layer, l),
            };
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"Layer {l} ({layer}) does not fit its input {a.Shape}: {error.Message}", error);
        }
        if (keep < 1 && layer.Kind == Layer.Kinds.Dense && !last)
            a = Regularization.Dropout(a, keep, unchecked(seed * 7919 + l)).Named($"A{l}_dropped");
        return (z, a);
    }

    private static (Node, Node) Same(Node node) => (node, node);

    private static (Node, Node) Activate(Node z, Layer layer, int l) =>
        (z, layer.Activation.Operation is null ? z : layer.Activation.Apply(z).Named($"A{l}"));

    private static Node Normalise(Entry e, Node a, List<RunningAverages.Entry>? statistics)
    {
        if (statistics is null) return Op.BatchNormInference(a, e.W!, e.B!, e.RunningMean!, e.RunningVariance!, e.Layer.Epsilon);
        int perChannel = e.Input.Rank == 2 ? 1 : e.Input.Rows / e.Input[-2];
        statistics.Add(new(Op.BatchMean(a), Op.BatchVariance(a), e.RunningMean!, e.RunningVariance!, e.Layer.Momentum, perChannel));
        return Op.BatchNorm(a, e.W!, e.B!, e.Layer.Epsilon);
    }
}
