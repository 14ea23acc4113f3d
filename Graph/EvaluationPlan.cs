using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>
/// Evaluates a fixed set of output nodes. Built once, run many times: the plan orders the needed nodes
/// topologically, computes each exactly once per run (shared subgraphs are shared), and keeps one result buffer
/// per node between runs, so a training loop that runs the same plan every iteration allocates nothing after
/// the first run (until the number of examples m changes).
/// </summary>
/// <remarks>
/// This type is the single place that runs a graph; a compiled plan can replace its inside without touching
/// nodes or operations. The values a run returns are owned by the plan and overwritten by the next run.
/// A plan is single-threaded: it owns its buffers, so a second thread that calls <see cref="Run"/> while a run is
/// under way gets an <see cref="InvalidOperationException"/> instead of garbage. Give each thread its own plan
/// (they may share the graph, which is immutable).
/// </remarks>
public sealed class EvaluationPlan
{
    private readonly Node[] steps;
    private readonly Dictionary<Node, int> index = new();
    private readonly int[][] operandIndices;
    private readonly Tensor[][] operandValues;
    // default(Tensor) (a null array) marks a buffer not yet allocated.
    private Tensor[] buffers;
    // Buffers for the batch size used before the current one: mini-batch training alternates between the
    // batch size and a smaller last batch, and keeping both sets avoids reallocating twice per epoch.
    private Tensor[] previousBuffers;
    private int previousBatch = -1;
    private readonly Input[] inputs;
    private readonly Node[] outputs;
    private int boundBatch = -1;
    private int running;

    /// <summary>Plans the evaluation of <paramref name="outputs"/>.</summary>
    public EvaluationPlan(params IEnumerable<Node> outputs)
    {
        this.outputs = outputs.ToArray();
        if (this.outputs.Length == 0) throw new ArgumentException("An evaluation plan needs at least one output node.", nameof(outputs));
        steps = Topology.Order(this.outputs).ToArray();
        for (int s = 0; s < steps.Length; s++) index[steps[s]] = s;
        operandIndices = steps.Select(n => n.Inputs.Select(i => index[i]).ToArray()).ToArray();
        operandValues = steps.Select(n => new Tensor[n.Inputs.Count]).ToArray();
        buffers = new Tensor[steps.Length];
        previousBuffers = new Tensor[steps.Length];
        inputs = steps.OfType<Input>().ToArray();
    }

    /// <summary>The nodes computed, in evaluation order (leaves included).</summary>
    public IReadOnlyList<Node> Steps => steps;

    /// <summary>The inputs the outputs depend on; each must be fed.</summary>
    public IReadOnlyList<Input> Inputs => inputs;

    /// <summary>The nodes this plan evaluates.</summary>
    public IReadOnlyList<Node> Outputs => outputs;

    /// <summary>
    /// When true (the default), every computed value is checked for NaN and ∞, and the first one found is an
    /// error naming the node, the element and the operand values there, instead of a NaN that spreads silently.
    /// The check is one vectorised pass per node.
    /// </summary>
    public bool CheckFinite { get; set; } = true;

    /// <summary>
    /// Runs the plan. Throws <see cref="ArgumentException"/> naming the input when one is missing or has the
    /// wrong shape, and <see cref="NonFiniteValueException"/> when a node computes NaN or ∞.
    /// </summary>
    public Evaluation Run(Feed? feed = null)
    {
        if (Interlocked.Exchange(ref running, 1) == 1)
            throw new InvalidOperationException(
                "This EvaluationPlan is already running on another thread. A plan is single-threaded (it owns the buffers it computes into): " +
                "give each thread its own plan; plans may share the graph.");
        try { return RunExclusive(feed ?? Feed.Empty); }
        finally { Volatile.Write(ref running, 0); }
    }

    private Evaluation RunExclusive(Feed feed)
    {
        int m = BindInputs(feed, out var fed);
        if (m != boundBatch)
        {
            (buffers, previousBuffers) = (previousBuffers, buffers);
            (boundBatch, previousBatch) = (previousBatch, boundBatch);
            if (boundBatch != m) { System.Array.Clear(buffers); boundBatch = m; }
        }
        for (int s = 0; s < steps.Length; s++)
        {
            var node = steps[s];
            switch (node)
            {
                case Variable v:
                    var value = Tensor.Of(v.Value);
                    if (CheckFinite && value.FirstNonFinite() is { } held)
                        throw NonFiniteValueException.Held(v, held);
                    buffers[s] = value;
                    break;
                case Input input: buffers[s] = fed[input]; break;
                case Constant c:
                    if (buffers[s].Array is null) buffers[s] = Materialise(c, m);
                    break;
                default:
                    var operands = operandValues[s];
                    var idx = operandIndices[s];
                    for (int k = 0; k < idx.Length; k++) operands[k] = buffers[idx[k]];
                    if (buffers[s].Array is null) buffers[s] = Allocate(node, m);
                    var result = buffers[s];
                    node.Operation.Forward(operands, result);
                    if (CheckFinite && result.FirstNonFinite() is { } bad)
                        throw NonFiniteValueException.At(node, bad, operands, m);
                    break;
            }
        }
        return new Evaluation(this, m);
    }

    internal Tensor ValueOf(Node node) =>
        index.TryGetValue(node, out int s) && buffers[s].Array is not null
            ? buffers[s]
            : throw new ArgumentException($"{node.Label} is not an output of this evaluation; add it to the nodes you evaluate.", nameof(node));

    private static Tensor Allocate(Node node, int m)
    {
        if (!node.Shape.Fits(m)) node.Shape.EnsureFits($"{node.Label} (built at {node.Location}) with m = {m}", m);
        var shape = node.Shape.Resolve(m);
        return Tensor.Zeros(shape.Rows, shape.Columns);
    }

    private static Tensor Materialise(Constant c, int m)
    {
        if (c.FixedValue is { } fixedValue) return Tensor.Of(fixedValue);
        var value = Allocate(c, m);
        c.WriteTo(value);
        return value;
    }

    /// <summary>Looks up every input, checks its shape, and fixes the batch dimension m from what was fed.</summary>
    private int BindInputs(Feed feed, out Dictionary<Input, Tensor> fed)
    {
        fed = new Dictionary<Input, Tensor>(inputs.Length);
        int m = -1;
        Input? fixedBy = null;
        foreach (var input in inputs)
        {
            if (!feed.TryGet(input, out var value))
                throw new ArgumentException($"Input '{input.Name}' ({input.Shape}, created at {input.Location}) was not fed. Feed it: new Feed {{ {{ {input.Name}, value }} }}.");
            var shape = input.Shape;
            if (shape.Rows != Shape.Batch && value.RowCount != shape.Rows || shape.Columns != Shape.Batch && value.ColumnCount != shape.Columns)
                throw new ArgumentException($"Input '{input.Name}' expects {shape} (created at {input.Location}) but was fed {value.RowCount}×{value.ColumnCount}.");
            foreach (int actual in BatchDimensions(shape, value))
            {
                if (m == -1) { m = actual; fixedBy = input; }
                else if (m != actual)
                    throw new ArgumentException($"Input '{input.Name}' was fed {value.RowCount}×{value.ColumnCount}, giving m = {actual}, but '{fixedBy!.Name}' was fed with m = {m}; every input must have the same number of examples.");
            }
            if (Dense.FirstNonFinite(value) is { } bad)
                throw new ArgumentException($"Input '{input.Name}' was fed a non-finite value {bad.Value} at row {bad.Row}, column {bad.Column}.");
            fed[input] = Tensor.Of(value);
        }
        return m == -1 ? 1 : m;
    }

    private static IEnumerable<int> BatchDimensions(Shape declared, Matrix<double> value)
    {
        if (declared.Rows == Shape.Batch) yield return value.RowCount;
        if (declared.Columns == Shape.Batch) yield return value.ColumnCount;
    }
}
