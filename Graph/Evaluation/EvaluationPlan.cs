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
/// graph and the schedule, which are immutable).
/// </remarks>
public sealed class EvaluationPlan
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

    private long runs;

    /// <summary>
    /// Reads <paramref name="node"/>'s value for the Evaluation of run <paramref name="run"/>: a sequence lock, so the
    /// result is that run's own or a <see cref="StaleEvaluationException"/>, even when another thread runs the plan
    /// during the read (the run number moves before that run writes anything; checked again after reading).
    /// </summary>
    internal T Read<T>(Node node, long run, Func<Tensor, Node, T> read)
    {
        ThrowIfStale(node, run);
        var result = read(ValueOf(node), node);
        Interlocked.MemoryBarrier();
        ThrowIfStale(node, run);
        return result;
    }

    private void ThrowIfStale(Node node, long run)
    {
        long current = Volatile.Read(ref runs);
        if (current != run) throw new StaleEvaluationException(node, run, current);
    }

    /// <summary>
    /// A copy of a value the plan computed (its buffer is the plan's), or the fed input's or the variable's own
    /// matrix (the user's storage, which the plan only reads).
    /// </summary>
    internal Matrix<double> MatrixOf(Node node, long run) => Read(node, run, (value, n) =>
        SlotOf(n) is var s && s >= 0 && steps[s].Node is Variable or Input ? value.ToMatrix() : value.ToMatrixCopy());

    private int SlotOf(Node node)
    {
        int s = Schedule.SlotOf(node);
        return s < 0 && compilation is not null && compilation.Contains(node) ? Schedule.SlotOf(compilation[node]) : s;
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

    // Layouts already computed, by batch size: a ragged last mini-batch switches between two every epoch, and
    // switching must not allocate. Valid while the arena they point into is the current one.
    private readonly Dictionary<int, (Tensor[] Values, bool[] FusedRoot, int[][] FreedAfter, long Bytes, double[] Arena, int[] Folded, int[] Into)> layouts = [];

    private void Switch(int m)
    {
        if (layouts.TryGetValue(m, out var known) && ReferenceEquals(known.Arena, arena))
        {
            // Only the views into the arena (and fixed constants) belong to the layout. Inputs were bound for this
            // run and variables are read at their step: the layout's copies of them are an earlier run's.
            for (int s = 0; s < values.Length; s++)
                if (steps[s].Node is not (Input or Variable)) values[s] = known.Values[s];
            (fusedRoot, freedAfter, ArenaBytes, foldedProduct, foldedInto) = (known.FusedRoot, known.FreedAfter, known.Bytes, known.Folded, known.Into);
            // Blocks of another layout may overlap this one's constants: write them again.
            foreach (var step in steps)
                if (step.Node is Constant c && NeedsSlot(c)) c.WriteTo(values[step.Slot]);
            laidOutFor = m;
            return;
        }
        var before = arena;
        LayOut(m);
        if (!ReferenceEquals(before, arena)) layouts.Clear();
        layouts[m] = ((Tensor[])values.Clone(), fusedRoot, freedAfter, ArenaBytes, arena, foldedProduct, foldedInto);
    }

    /// <summary>
    /// Places every computed value (and every constant with the batch dimension) in the arena for batch size
    /// <paramref name="m"/>, growing the arena only when this m needs more than it has. With
    /// <see cref="ReuseBuffers"/>, a value's block is handed to a later value once the last step that reads it
    /// has run (best fit among the freed blocks); outputs and constants keep theirs.
    /// </summary>
    private void LayOut(int m)
    {
        fusedRoot = steps.Select(step => fusion.GroupEndingAt(step.Slot) is not null && step.Node.Shape.ElementCount(m) >= FuseAtElements).ToArray();
        (foldedProduct, foldedInto) = FoldScalars();
        var offsets = new long[steps.Length];
        var sizes = new long[steps.Length];
        var free = new List<(long Offset, long Size)>();
        freedAfter = FreedAfter();
        long end = 0;
        foreach (var step in steps)
        {
            int s = step.Slot;
            if (NeedsSlot(step.Node))
            {
                sizes[s] = Aligned(Fused(s) ? ScratchShape(s, m).ElementCount() : Checked(step.Node, m));
                offsets[s] = Reusable(step) ? Take(free, sizes[s], ref end) : Grow(sizes[s], ref end);
            }
            // What this step read for the last time frees its block for the steps after it; the result's own
            // block was taken first, so it never aliases an operand.
            foreach (int o in freedAfter[s]) free.Add((offsets[o], sizes[o]));
        }
        if (end > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(m), $"Evaluating {Outputs.Count} output(s) with m = {m} needs {end:N0} values ({Shape.FormatBytes(end * 8.0)}), more than one array can hold.");
        if (arena.Length < end) arena = new double[end];
        foreach (var step in steps)
        {
            var node = step.Node;
            if (!NeedsSlot(node))
            {
                if (node is Constant { FixedValue: { } fixedValue }) values[step.Slot] = fixedValue;
                continue;
            }
            var shape = Fused(step.Slot) ? ScratchShape(step.Slot, m) : node.Shape.Resolve(m);
            values[step.Slot] = new Tensor(arena, (int)offsets[step.Slot], shape.Rows, shape.Columns, Math.Max(shape.Rows, 1));
            if (node is Constant c) c.WriteTo(values[step.Slot]);
        }
        ArenaBytes = end * sizeof(double);
        laidOutFor = m;
    }

    /// <summary>
    /// The scalar factors that can go into the product they scale: a step s·P (s a 1×1 value) whose P is a product
    /// (<see cref="IScalableProduct"/>) of the same shape read by that step alone, outside fused chains. The product
    /// then runs scaled at the reader's step, writing the reader's result directly: one pass over the result fewer
    /// (dW = 1/m · dZ·Aᵀ). Off without <see cref="ReuseBuffers"/>, where every value stays readable.
    /// </summary>
    private (int[] Folded, int[] Into) FoldScalars()
    {
        var folded = new int[steps.Length];
        var into = new int[steps.Length];
        Array.Fill(folded, -1);
        Array.Fill(into, -1);
        if (!ReuseBuffers || !FoldScalarFactors) return (folded, into);
        var readers = new int[steps.Length];
        foreach (var step in steps)
            foreach (int o in step.Operands) readers[o]++;
        foreach (var step in steps)
        {
            var node = step.Node;
            if (node.IsLeaf || !node.Operation.IsElementwiseProduct || step.Operands.Count != 2) continue;
            int scalar = step.Operands[0], product = step.Operands[1];
            var p = steps[product];
            if (steps[scalar].Node.Shape != Shape.Scalar || p.Node.IsLeaf || p.Node.Operation is not IScalableProduct
                || p.Node.Shape != node.Shape || readers[product] != 1 || p.LastUse >= steps.Length
                || fusion.IsInterior(step.Slot) || fusion.GroupEndingAt(step.Slot) is not null) continue;
            folded[step.Slot] = product;
            into[product] = step.Slot;
        }
        return (folded, into);
    }

    /// <summary>Step <paramref name="s"/> = c·P with the product P folded in: P's kernel scaled by c, into s's result.</summary>
    private void RunScaledProduct(int s, int m)
    {
        int product = foldedProduct[s];
        var productStep = steps[product];
        var productOperands = operandValues[product];
        for (int k = 0; k < productOperands.Length; k++) productOperands[k] = values[productStep.Operands[k]];
        var result = values[s];
        double alpha = values[steps[s].Operands[0]][0, 0];
        ((IScalableProduct)productStep.Node.Operation).ForwardScaled(alpha, productOperands, result);
        if (CheckFinite && result.FirstNonFinite() is { } bad)
        {
            // Name the node that went wrong first, as the unfolded plan would: the product, or the scaling.
            productStep.Node.Operation.Forward(productOperands, values[product]);
            if (values[product].FirstNonFinite() is { } badProduct) throw NonFiniteValueException.At(productStep.Node, badProduct, productOperands, m);
            var operands = operandValues[s];
            for (int k = 0; k < operands.Length; k++) operands[k] = values[steps[s].Operands[k]];
            throw NonFiniteValueException.At(steps[s].Node, bad, operands, m);
        }
        if (PoisonFreedBuffers) Poison(s);
    }

    /// <summary>Whether scalar factors are folded into the products they scale (on by default; off to compare).</summary>
    internal bool FoldScalarFactors
    {
        get => foldScalarFactors;
        set { foldScalarFactors = value; laidOutFor = -1; layouts.Clear(); }
    }

    private bool foldScalarFactors = true;

    /// <summary>How many products ran scaled inside their reader's step in the last lay-out (test aid).</summary>
    internal int FoldedProducts => foldedInto.Count(r => r >= 0);

    /// <summary>
    /// For each step, the values whose blocks may be reused once it has run: those it reads last, counting a
    /// fused chain's reads at the chain's last step, where they happen, and a folded product's reads at its reader's step.
    /// </summary>
    private int[][] FreedAfter()
    {
        var last = new int[steps.Length];
        Array.Fill(last, -1);
        foreach (var step in steps)
        {
            int when = Fused(step.Slot) ? fusion.RootOf(step.Slot) : step.Slot;
            if (foldedInto[step.Slot] >= 0) when = foldedInto[step.Slot];   // a folded product reads when its reader runs
            foreach (int o in step.Operands) last[o] = Math.Max(last[o], when);
        }
        var freed = new List<int>[steps.Length];
        for (int o = 0; o < steps.Length; o++)
            if (last[o] >= 0 && Reusable(steps[o]) && NeedsSlot(steps[o].Node)) (freed[last[o]] ??= []).Add(o);
        return freed.Select(f => f?.ToArray() ?? []).ToArray();
    }

    private int[][] freedAfter = [];

    /// <summary>
    /// Whether a value's block may go to a later value: not an output, not a constant (written once, at lay-out),
    /// not the scratch block of a fused chain (used by every run of the chain).
    /// </summary>
    private bool Reusable(ScheduleStep step) =>
        ReuseBuffers && step.LastUse < steps.Length && step.Node is not Constant && !(Fused(step.Slot));

    /// <summary>The scratch block of a fused step: its rows, and as many columns as one block of its chain takes.</summary>
    private static Shape ScratchShape(Node node, int m)
    {
        var shape = node.Shape.Resolve(m);
        return new Shape(shape.Rows, Math.Min(shape.Columns, Fusion.BlockColumns(shape.Rows)));
    }

    private Shape ScratchShape(int s, int m) => ScratchShape(steps[s].Node, m);

    private static long Grow(long size, ref long end)
    {
        long offset = end;
        end += size;
        return offset;
    }

    /// <summary>The smallest freed block that fits (split, the rest stays free), else new space at the end.</summary>
    private static long Take(List<(long Offset, long Size)> free, long size, ref long end)
    {
        int best = -1;
        for (int i = 0; i < free.Count; i++)
            if (free[i].Size >= size && (best < 0 || free[i].Size < free[best].Size)) best = i;
        if (best < 0) return Grow(size, ref end);
        var (offset, blockSize) = free[best];
        if (blockSize == size) free.RemoveAt(best);
        else free[best] = (offset + size, blockSize - size);
        return offset;
    }

    private static bool NeedsSlot(Node node) => node is not (Variable or Input) && node is not Constant { FixedValue: not null };

    private static long Aligned(long count) => (count + Alignment - 1) / Alignment * Alignment;

    private static long Checked(Node node, int m)
    {
        if (!node.Shape.Fits(m)) node.Shape.EnsureFits($"{node.Label} (built at {node.Location}) with m = {m}", m);
        return node.Shape.ElementCount(m);
    }

    /// <summary>A fused chain, a block of whole columns at a time; the values inside it live in scratch blocks.</summary>
    private void RunFused(int[] group, int m)
    {
        int root = group[^1];
        var full = values[root];
        int columns = full.Columns, block = Fusion.BlockColumns(full.Rows);
        for (int j0 = 0; j0 < columns || j0 == 0; j0 += block)
        {
            int width = Math.Min(block, columns - j0);
            foreach (int s in group)
            {
                var operands = operandValues[s];
                var slots = steps[s].Operands;
                for (int k = 0; k < operands.Length; k++)
                {
                    int o = slots[k];
                    var v = values[o];
                    operands[k] = fusion.IsInterior(o) && fusion.RootOf(o) == root ? v.ColumnRange(0, width)
                        : v.Columns == columns ? v.ColumnRange(j0, width) : v;
                }
                var result = s == root ? full.ColumnRange(j0, width) : values[s].ColumnRange(0, width);
                var node = steps[s].Node;
                node.Operation.Forward(operands, result);
                if (CheckFinite && result.FirstNonFinite() is { } bad)
                    throw NonFiniteValueException.At(node, bad, operands, m, j0, width);
            }
            if (columns == 0) break;
        }
        if (PoisonFreedBuffers) Poison(root);
    }

    private void Poison(int s)
    {
        foreach (int o in freedAfter[s]) values[o].Fill(double.NaN);
    }

    internal Tensor ValueOf(Node node)
    {
        int s = SlotOf(node);
        if (s >= 0 && (Reusable(steps[s]) || Fused(s)) && NeedsSlot(steps[s].Node))
            throw new ArgumentException($"{node.Label} is an intermediate value of this plan, and its buffer was reused once its last reader had run. " +
                "Add it to the nodes you evaluate, or set ReuseBuffers = false to keep every value.", nameof(node));
        return s >= 0 && values[s].Array is not null
            ? values[s]
            : throw new ArgumentException($"{node.Label} is not an output of this evaluation; add it to the nodes you evaluate.", nameof(node));
    }

    /// <summary>Looks up every input, checks its shape and values, binds it, and fixes the batch dimension m from what was fed.</summary>
    private int BindInputs(Feed feed)
    {
        int m = -1;
        Input? fixedBy = null;
        var inputs = Schedule.Inputs;
        for (int n = 0; n < inputs.Count; n++)
        {
            var input = inputs[n];
            if (!feed.TryGetTensor(input, out var value))
                throw new ArgumentException($"Input '{input.Name}' ({input.Shape}, created at {input.Location}) was not fed. Feed it: new Feed {{ {{ {input.Name}, value }} }}.");
            var shape = input.Shape;
            if (shape.Rows != Shape.Batch && value.Rows != shape.Rows || shape.Columns != Shape.Batch && value.Columns != shape.Columns)
                throw new ArgumentException($"Input '{input.Name}' expects {shape} (created at {input.Location}) but was fed {value.Rows}×{value.Columns}.");
            for (int d = 0; d < 2; d++)
            {
                // The batch dimension may be the rows, the columns, or both.
                if ((d == 0 ? shape.Rows : shape.Columns) != Shape.Batch) continue;
                int actual = d == 0 ? value.Rows : value.Columns;
                if (m == -1) { m = actual; fixedBy = input; }
                else if (m != actual)
                    throw new ArgumentException($"Input '{input.Name}' was fed {value.Rows}×{value.Columns}, giving m = {actual}, but '{fixedBy!.Name}' was fed with m = {m}; every input must have the same number of examples.");
            }
            if (CheckInputs && value.FirstNonFinite() is { } bad)
                throw new ArgumentException($"Input '{input.Name}' was fed a non-finite value {bad.Value} at row {bad.Row}, column {bad.Column}.");
            values[inputSlots[n]] = value;
        }
        if (m == -1 && firstBatched is { } batched)
            m = feed.BatchSize() ?? throw new ArgumentException($"{batched.Label} (built at {batched.Location}) is {batched.Shape}, but nothing fixes m: " +
                "m is the number of examples fed, and neither these outputs nor the feed have an input with the batch dimension.");
        return m == -1 ? 1 : m;
    }
}
