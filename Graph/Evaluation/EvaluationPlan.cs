using System.Numerics;
using GraphDiff.Tensors;

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
    private readonly ScheduleStep[] steps;
    // The graph as written → what runs (the compiled graph); identity when nothing was rewritten.
    private readonly Compilation? compilation;
    private readonly int[] inputSlots;   // the slot of each of Schedule.Inputs, in order
    private readonly Fusion fusion;
    // The values in the plan's element type: exactly one of the two is set.
    private readonly Memory<double>? doubles;
    private readonly Memory<float>? singles;
    // Per step: the slot of a product folded into it (s·P computed as one scaled product), or −1; and for such a
    // product, the slot of the reader that computes it, or −1. Decided at each lay-out (they depend on ReuseBuffers).
    private int[] foldedProduct = [];
    private int[] foldedInto = [];
    private int laidOutFor = -1;
    private int running;

    /// <summary>
    /// Plans the evaluation of <paramref name="outputs"/> in their compiled form (<see cref="Compiler"/>'s
    /// stability rules: BCE of a sigmoid from its logits, …), so values are exact where the written form
    /// saturates; results are still looked up by the nodes as written.
    /// </summary>
    public EvaluationPlan(params IEnumerable<Node> outputs) : this(outputs, CompileOptions.Default) { }

    /// <summary>Plans the evaluation of <paramref name="outputs"/> compiled with <paramref name="compile"/>, or exactly as written when it is <c>null</c>.</summary>
    public EvaluationPlan(IEnumerable<Node> outputs, CompileOptions? compile) : this(outputs, compile, Precision.Double) { }

    /// <summary>
    /// Plans the evaluation of <paramref name="outputs"/> (compiled as by default) in <paramref name="precision"/>:
    /// <c>new EvaluationPlan([cost, .. gradients], Precision.Single)</c> computes every value in float32.
    /// </summary>
    public EvaluationPlan(IEnumerable<Node> outputs, Precision precision) : this(outputs, CompileOptions.Default, precision) { }

    /// <summary>Plans the evaluation of <paramref name="outputs"/> compiled with <paramref name="compile"/> (or as written when <c>null</c>) in <paramref name="precision"/>.</summary>
    public EvaluationPlan(IEnumerable<Node> outputs, CompileOptions? compile, Precision precision) : this(Prepare(outputs, compile, out var compilation), precision) =>
        this.compilation = compilation;

    private static Schedule Prepare(IEnumerable<Node> outputs, CompileOptions? compile, out Compilation? compilation)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var written = outputs.ToArray();
        compilation = compile is null ? null : Compiler.Compile(written, compile);
        return new Schedule(compilation?.Outputs ?? written);
    }

    /// <summary>An executor for <paramref name="schedule"/>, in double.</summary>
    public EvaluationPlan(Schedule schedule) : this(schedule, Precision.Double) { }

    /// <summary>An executor for <paramref name="schedule"/> in <paramref name="precision"/>.</summary>
    public EvaluationPlan(Schedule schedule, Precision precision)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (!Enum.IsDefined(precision)) throw new ArgumentOutOfRangeException(nameof(precision), $"{precision} is not a Precision: use Precision.Double or Precision.Single.");
        Schedule = schedule;
        Precision = precision;
        steps = schedule.Steps.ToArray();
        if (precision == Precision.Single) singles = new Memory<float>(steps);
        else doubles = new Memory<double>(steps);
        Steps = steps.Select(s => s.Node).ToArray();
        inputSlots = schedule.Inputs.Select(schedule.SlotOf).ToArray();
        fusion = new Fusion(steps);
        firstBatched = steps.FirstOrDefault(s => s.Node.Shape.HasBatch)?.Node;
    }

    /// <summary>
    /// The element type every value is computed in: <see cref="Precision.Double"/> (the default) or
    /// <see cref="Precision.Single"/>. Feeds and variables in the other precision are converted into buffers of the
    /// plan's own as they are bound; results read as double (<see cref="Evaluation.this[Node]"/>,
    /// <see cref="Evaluation.Scalar"/>) are widened.
    /// </summary>
    public Precision Precision { get; }

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
        set { reuseBuffers = value; ClearLayouts(); }
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
        set { fuse = value; ClearLayouts(); }
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
        set { fuseAtElements = value; ClearLayouts(); }
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
    /// When true (the default), a fed value is scanned for NaN and ∞ when the plan first reads it from a feed entry, and
    /// whenever the entry is set again (<c>feed[x] = value</c>; see <see cref="Feed"/> for values changed in place). Set it
    /// false for feeds already checked (the trainer checks a data set in memory once, then feeds mini-batches of it).
    /// </summary>
    public bool CheckInputs { get; set; } = true;

    /// <summary>
    /// Runs the plan (a warm run allocates nothing). Throws <see cref="ArgumentException"/> naming the input when one is
    /// missing, has the wrong shape or holds NaN or ∞, and <see cref="NonFiniteValueException"/> when a node computes NaN or ∞.
    /// </summary>
    /// <remarks>A fed value is checked for NaN and ∞ once per feed entry set, not once per run: if you change a fed
    /// array's values in place, set its entry again (<c>feed[x] = sameMatrix</c>) so that the next run checks it.</remarks>
    public Evaluation Run(Feed? feed = null)
    {
        if (Interlocked.Exchange(ref running, 1) == 1)
            throw new InvalidOperationException(
                "This EvaluationPlan is already running on another thread. A plan is single-threaded (it owns the buffers it computes into): " +
                "give each thread its own plan; plans may share the graph.");
        // A new run number before any buffer is written: every earlier Evaluation is stale from here on (see Read).
        long run = Interlocked.Increment(ref runs);
        try { return new Evaluation(this, run, RunExclusive(feed ?? NoFeed)); }
        finally { Volatile.Write(ref running, 0); }
    }

    private static readonly Feed NoFeed = new();   // what runs without a feed read: never written, so shared

    private int RunExclusive(Feed feed) => singles is { } single ? RunExclusive(single, feed) : RunExclusive(doubles!, feed);

    private int RunExclusive<T>(Memory<T> memory, Feed feed, bool interpret = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = BindInputs(memory, feed);
        bool laidOut = m != laidOutFor;
        if (laidOut) Switch(memory, m);
        var (code, loops) = interpret ? default : CodeFor(memory, laidOut);
        var values = memory.Values;
        for (int s = 0; s < steps.Length; s++)
        {
            if (code?.ChunkAt(s) is { } chunk)
            {
                // A NaN or ∞ in generated code: the interpreter finds it again and names it.
                if (!RunGenerated(memory, code, chunk)) return RunExclusive(memory, feed, interpret: true);
                s = chunk.End - 1;
                continue;
            }
            var node = steps[s].Node;
            switch (node)
            {
                case Variable v:
                    values[s] = VariableValue(memory, s, v);
                    break;
                case Leaf:
                    break;   // inputs were bound, constants written when the arena was laid out
                default:
                    if (foldedInto[s] >= 0) break;   // a product its one reader computes, scaled (see FoldScalars)
                    if (writeBackHost[s] >= 0) break;   // computed in a product's write-back
                    if (writeBackEnd[s] >= 0) { RunWritingBack(memory, s, m); break; }
                    if (foldedProduct[s] >= 0) { RunScaledProduct(memory, s, m); break; }
                    if (loops?.LoopAt(fusion.RootOf(s)) is { } loop && LoopRuns(memory, fusion.RootOf(s)))
                    {
                        // A chain as one generated loop, at its last step; a NaN or ∞ in it: the interpreter finds it again and names it.
                        if (s == loop.Group[^1] && !RunLoop(memory, loop, m)) return RunExclusive(memory, feed, interpret: true);
                        break;
                    }
                    if (Fused(s)) break;   // computed with the rest of its chain, at the chain's last step
                    if (fuse && fusedRoot[s] && fusion.GroupEndingAt(s) is { } group) { RunFused(memory, group, m); break; }
                    RunStep(memory, s, m);
                    break;
            }
        }
        return m;
    }

    /// <summary>One step on its own: its operation's forward form, then the check of what it wrote.</summary>
    private void RunStep<T>(Memory<T> memory, int s, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var node = steps[s].Node;
        var operands = memory.Operands[s];
        var slots = steps[s].Operands;
        for (int k = 0; k < operands.Length; k++) operands[k] = memory.Values[slots[k]];
        var result = memory.Values[s];
        ElementForms.Forward(node.Operation, operands, result);
        // An operation that keeps finite values finite needs no check: its operands were checked.
        if (CheckFinite && !node.Operation.KeepsFinite && result.FirstNonFinite() is { } bad)
            throw NonFiniteValueException.At(node, bad, operands, m);
        if (PoisonFreedBuffers) Poison(memory, s);
    }

    /// <summary>
    /// A variable's value for this run: its own storage in a double plan; in a float plan, its value rounded into the
    /// plan's buffer for it (every run, since an optimiser updates the double value in place).
    /// </summary>
    private Tensor<T> VariableValue<T>(Memory<T> memory, int s, Variable variable) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var held = (Tensor<double>)Tensor.Of(variable.Value);
        if (typeof(T) == typeof(double))
        {
            if (CheckFinite && held.FirstNonFinite() is { } bad) throw NonFiniteValueException.Held(variable, bad);
            return ElementForms.As<T>(held);
        }
        var value = memory.Converted(s, held.Rows, held.Columns);
        held.ConvertTo(value);
        // A NaN or ∞ held stays one when rounded, so the rounded value's check covers the double's (one pass fewer over
        // the largest weights, every run); only when it fails is the double asked which of the two it was.
        if (CheckFinite && value.FirstNonFinite() is { } rounded)
            throw held.FirstNonFinite() is { } bad ? NonFiniteValueException.Held(variable, bad)
                : NonFiniteValueException.BeyondSingle(variable, rounded.Row, rounded.Column, held[rounded.Row, rounded.Column]);
        return value;
    }
}
