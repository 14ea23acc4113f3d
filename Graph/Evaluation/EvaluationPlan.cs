using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>
/// Evaluates a fixed set of output nodes: the interpreter that runs a <see cref="Schedule"/>. Built once, run
/// many times: each node is computed exactly once per run (shared subgraphs are shared), into a view of one
/// arena of memory that the plan keeps between runs, so a training loop allocates nothing after the first run
/// — mini-batches of several sizes (a ragged last batch) included, since the arena fits the largest m seen.
/// </summary>
/// <remarks>
/// The values a run returns are owned by the plan and overwritten by the next run: reading an earlier run's
/// <see cref="Evaluation"/> after that throws <see cref="StaleEvaluationException"/> (copy what you keep). A plan is single-threaded:
/// it owns its arena, so a second thread that calls <see cref="Run"/> while a run is under way gets an
/// <see cref="InvalidOperationException"/> instead of garbage. Give each thread its own plan (they may share the
/// graph and the schedule, whose structure never changes).
/// </remarks>
public sealed partial class EvaluationPlan
{
    /// <summary>Every view starts on a 64-byte boundary of the arena (8 doubles), for whole-vector loads.</summary>
    private const int Alignment = 8;

    private readonly ScheduleStep[] steps;
    // The graph as written → what runs (the compiled graph); identity when nothing was rewritten.
    private readonly Compilation? compilation;
    private readonly Tensor[] values;
    private readonly int[] inputSlots;   // the slot of each of Schedule.Inputs, in order
    private readonly Tensor[][] operandValues;
    private readonly Fusion fusion;
    // Per step: the slot of a product folded into it (s·P computed as one scaled product), or −1; and for such a
    // product, the slot of the reader that computes it, or −1. Decided at each lay-out (they depend on ReuseBuffers).
    private int[] foldedProduct = [];
    private int[] foldedInto = [];
    private double[] arena = [];
    private int laidOutFor = -1;
    private int running;

    /// <summary>
    /// Plans the evaluation of <paramref name="outputs"/> in their compiled form (<see cref="Compiler"/>'s
    /// stability rules: BCE of a sigmoid from its logits, …), so values are exact where the written form
    /// saturates; results are still looked up by the nodes as written.
    /// </summary>
    public EvaluationPlan(params IEnumerable<Node> outputs) : this(outputs, CompileOptions.Default) { }

    /// <summary>Plans the evaluation of <paramref name="outputs"/> compiled with <paramref name="compile"/>, or exactly as written when it is <c>null</c>.</summary>
    public EvaluationPlan(IEnumerable<Node> outputs, CompileOptions? compile) : this(Prepare(outputs, compile, out var compilation)) =>
        this.compilation = compilation;

    private static Schedule Prepare(IEnumerable<Node> outputs, CompileOptions? compile, out Compilation? compilation)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var written = outputs.ToArray();
        compilation = compile is null ? null : Compiler.Compile(written, compile);
        return new Schedule(compilation?.Outputs ?? written);
    }

    /// <summary>An executor for <paramref name="schedule"/>.</summary>
    public EvaluationPlan(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
        steps = schedule.Steps.ToArray();
        values = new Tensor[steps.Length];
        Steps = steps.Select(s => s.Node).ToArray();
        inputSlots = schedule.Inputs.Select(schedule.SlotOf).ToArray();
        operandValues = steps.Select(s => new Tensor[s.Operands.Count]).ToArray();
        fusion = new Fusion(steps);
        firstBatched = steps.FirstOrDefault(s => s.Node.Shape.HasBatch)?.Node;
    }

    // The first node with the batch dimension (null when none has it): what needs m when no input of the outputs fixes it.
    private readonly Node? firstBatched;

    /// <summary>What runs, step by step; print it to see the plan.</summary>
    public Schedule Schedule { get; }

    /// <summary>The nodes computed, in evaluation order (leaves included).</summary>
    public IReadOnlyList<Node> Steps { get; }

    /// <summary>The inputs the outputs depend on; each must be fed.</summary>
    public IReadOnlyList<Input> Inputs => Schedule.Inputs;

    /// <summary>The nodes this plan evaluates (in their compiled form).</summary>
    public IReadOnlyList<Node> Outputs => Schedule.Outputs;

    /// <summary>What the compiler rewrote for this plan, or <c>null</c> for a plan of the graph as written.</summary>
    public Compilation? Compilation => compilation;

    /// <summary>
    /// When true (the default), every computed value, variable and input is checked for NaN and ∞, and the first
    /// one found is an error naming the node, the element and the operand values there, instead of a NaN that
    /// spreads silently. The check is one vectorised pass per value.
    /// </summary>
    public bool CheckFinite { get; set; } = true;

    /// <summary>
    /// When true (the default), a computed value's buffer is reused by later values once its last reader has
    /// run, so a deep graph needs memory for what is live at once rather than for every node. A run's
    /// <see cref="Evaluation"/> then answers for the outputs (and leaves) only; set it false to read every
    /// intermediate value after a run, at the cost of one buffer per node.
    /// </summary>
    public bool ReuseBuffers
    {
        get => reuseBuffers;
        set { reuseBuffers = value; laidOutFor = -1; layouts.Clear(); }
    }

    private bool reuseBuffers = true;

    /// <summary>
    /// When true (the default), chains of elementwise steps run as one pass over memory: a block of columns at a
    /// time through the whole chain, the values inside it kept in small scratch blocks instead of buffers of their
    /// own. False runs every step on its own (the reference interpreter the tests compare against).
    /// </summary>
    public bool Fuse
    {
        get => fuse;
        set { fuse = value; laidOutFor = -1; layouts.Clear(); }
    }

    private bool fuse = true;

    /// <summary>How many steps ran inside fused chains in the last run (with <see cref="Fuse"/>), not on their own.</summary>
    public int FusedSteps => Enumerable.Range(0, steps.Length).Count(Fused);

    /// <summary>
    /// Chains whose values are smaller than this run step by step: they stay in the cache anyway, and a block
    /// loop would only add calls.
    /// </summary>
    internal long FuseAtElements
    {
        get => fuseAtElements;
        set { fuseAtElements = value; laidOutFor = -1; layouts.Clear(); }
    }

    private long fuseAtElements = 32 * 1024;

    // Per chain's last step, for the batch size laid out: whether the chain runs fused.
    private bool[] fusedRoot = [];

    /// <summary>Whether step <paramref name="s"/> runs inside a fused chain (and holds only a scratch block).</summary>
    private bool Fused(int s) => fuse && fusion.IsInterior(s) && fusedRoot.Length > 0 && fusedRoot[fusion.RootOf(s)];

    /// <summary>The bytes of the buffers the plan computes into, as laid out for the last batch size run.</summary>
    public long ArenaBytes { get; private set; }

    /// <summary>Test aid: fill each value freed for reuse with NaN once its last reader has run, so a read after that is reported.</summary>
    internal bool PoisonFreedBuffers { get; set; }

    /// <summary>
    /// When true (the default), every fed input is scanned for NaN and ∞ on every run. Set it false when the
    /// feeds were already checked — the trainer checks its whole data set once, then feeds mini-batches of it —
    /// to save a pass over the inputs per run (10–12% of a deep training step).
    /// </summary>
    public bool CheckInputs { get; set; } = true;

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
        // A new run number before any buffer is written: every earlier Evaluation is stale from here on (see Read).
        long run = Interlocked.Increment(ref runs);
        try { return new Evaluation(this, run, RunExclusive(feed ?? Feed.Empty)); }
        finally { Volatile.Write(ref running, 0); }
    }

    private int RunExclusive(Feed feed)
    {
        int m = BindInputs(feed);
        if (m != laidOutFor) Switch(m);
        for (int s = 0; s < steps.Length; s++)
        {
            var node = steps[s].Node;
            switch (node)
            {
                case Variable v:
                    var value = Tensor.Of(v.Value);
                    if (CheckFinite && value.FirstNonFinite() is { } held)
                        throw NonFiniteValueException.Held(v, held);
                    values[s] = value;
                    break;
                case Leaf:
                    break;   // inputs were bound, constants written when the arena was laid out
                default:
                    if (foldedInto[s] >= 0) break;   // a product its one reader computes, scaled (see FoldScalars)
                    if (foldedProduct[s] >= 0) { RunScaledProduct(s, m); break; }
                    if (Fused(s)) break;   // computed with the rest of its chain, at the chain's last step
                    if (fuse && fusedRoot[s] && fusion.GroupEndingAt(s) is { } group) { RunFused(group, m); break; }
                    var operands = operandValues[s];
                    var slots = steps[s].Operands;
                    for (int k = 0; k < operands.Length; k++) operands[k] = values[slots[k]];
                    var result = values[s];
                    node.Operation.Forward(operands, result);
                    // An operation that keeps finite values finite needs no check: its operands were checked.
                    if (CheckFinite && !node.Operation.KeepsFinite && result.FirstNonFinite() is { } bad)
                        throw NonFiniteValueException.At(node, bad, operands, m);
                    if (PoisonFreedBuffers) Poison(s);
                    break;
            }
        }
        return m;
    }
}
