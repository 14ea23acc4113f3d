using System.Numerics;
using GraphDiff.Tensors;

namespace GraphDiff;

// The arena: where each value lives for a batch size, which blocks are reused once their last reader has run, and the lay-outs kept per size.
public sealed partial class EvaluationPlan
{
    // Layouts already computed, by batch size: a ragged last mini-batch switches between two every epoch, and
    // switching must not allocate. Valid while the arena they point into is the current one (the views themselves
    // are kept by the plan's Memory, in its element type).
    private readonly Dictionary<int, (bool[] FusedRoot, int[][] FreedAfter, long Bytes, Array Arena, int[] Folded, int[] Into, int[] WriteBackHost, int[] WriteBackEnd)> layouts = [];

    private void ClearLayouts()
    {
        laidOutFor = -1;
        layouts.Clear();
        doubles?.Layouts.Clear();
        singles?.Layouts.Clear();
        // Generated code depends on the settings that decide folding and fusion: generate it again.
        if (doubles is not null) (doubles.Code, doubles.Loops) = (null, null);
        if (singles is not null) (singles.Code, singles.Loops) = (null, null);
        runsSinceLayoutsCleared = 0;
        pendingCode = null;
        generationFailure = null;
        codeEpoch++;
    }

    private void Switch<T>(Memory<T> memory, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = memory.Values;
        if (layouts.TryGetValue(m, out var known) && Holds(memory, known.Arena))
        {
            // Only the views into the arena (and fixed constants) belong to the layout. Inputs were bound for this
            // run and variables are read at their step: the layout's copies of them are an earlier run's.
            var views = memory.Layouts[m];
            for (int s = 0; s < values.Length; s++)
                if (steps[s].Node is not (Input or Variable)) values[s] = views[s];
            (fusedRoot, freedAfter, ArenaBytes, foldedProduct, foldedInto, writeBackHost, writeBackEnd) =
                (known.FusedRoot, known.FreedAfter, known.Bytes, known.Folded, known.Into, known.WriteBackHost, known.WriteBackEnd);
            // Blocks of another layout may overlap this one's constants: write them again.
            foreach (var step in steps)
                if (step.Node is Constant c && NeedsSlot(c)) WriteConstant(c, values[step.Slot]);
            laidOutFor = m;
            return;
        }
        var before = memory.Arena;
        LayOut(memory, m);
        if (!ReferenceEquals(before, memory.Arena)) { layouts.Clear(); memory.Layouts.Clear(); }
        layouts[m] = (fusedRoot, freedAfter, ArenaBytes, memory.Arena, foldedProduct, foldedInto, writeBackHost, writeBackEnd);
        memory.Layouts[m] = (Tensor<T>[])values.Clone();
    }

    /// <summary>
    /// Places every computed value (and every constant with the batch dimension) in the arena for batch size
    /// <paramref name="m"/>, growing the arena only when this m needs more than it has. With
    /// <see cref="ReuseBuffers"/>, a value's block is handed to a later value once the last step that reads it
    /// has run (best fit among the freed blocks); outputs and constants keep theirs.
    /// </summary>
    private void LayOut<T>(Memory<T> memory, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fusedRoot = steps.Select(step => fusion.GroupEndingAt(step.Slot) is not null && step.Node.Shape.ElementCount(m) >= FuseAtElements).ToArray();
        (foldedProduct, foldedInto) = FoldScalars();
        (writeBackHost, writeBackEnd) = ChooseWriteBacks(m);
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
                sizes[s] = Aligned(Fused(s) ? ScratchShape(s, m).ElementCount() : Checked(step.Node, m), Memory<T>.Alignment);
                offsets[s] = Reusable(step) ? Take(free, sizes[s], ref end) : Grow(sizes[s], ref end);
            }
            // What this step read for the last time frees its block for the steps after it; the result's own
            // block was taken first, so it never aliases an operand.
            foreach (int o in freedAfter[s]) free.Add((offsets[o], sizes[o]));
        }
        int elementBytes = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (end > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(m), $"Evaluating {Outputs.Count} output(s) with m = {m} needs {end:N0} values ({Shape.FormatBytes(end * (double)elementBytes)}), more than one array can hold.");
        if (memory.Arena.Length < end) memory.Arena = new T[end];
        var values = memory.Values;
        foreach (var step in steps)
        {
            var node = step.Node;
            if (!NeedsSlot(node))
            {
                if (node is Constant { FixedValue: { } fixedValue } constant) values[step.Slot] = FixedConstant(memory, step.Slot, constant, fixedValue);
                continue;
            }
            var shape = Fused(step.Slot) ? ScratchShape(step.Slot, m) : node.Shape.Resolve(m);
            values[step.Slot] = new Tensor<T>(memory.Arena, (int)offsets[step.Slot], shape.Rows, shape.Columns, Math.Max(shape.Rows, 1));
            if (node is Constant c) WriteConstant(c, values[step.Slot]);
        }
        ArenaBytes = end * elementBytes;
        laidOutFor = m;
    }

    /// <summary>A constant matrix: its own storage in a double plan, a rounded copy (made once) in a float one.</summary>
    private static Tensor<T> FixedConstant<T>(Memory<T> memory, int slot, Constant constant, Tensor<double> value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return ElementForms.As<T>(value);
        var copy = memory.Converted(slot, value.Rows, value.Columns);
        value.ConvertTo(copy);
        if (copy.FirstNonFinite() is { } bad) throw NonFiniteValueException.BeyondSingle(constant, bad.Row, bad.Column, value[bad.Row, bad.Column]);
        return copy;
    }

    /// <summary>Writes a constant that fills a shape (the only kind that takes a slot of the arena).</summary>
    private static void WriteConstant<T>(Constant constant, Tensor<T> result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) { constant.WriteTo(System.Runtime.CompilerServices.Unsafe.As<Tensor<T>, Tensor<double>>(ref result)); return; }
        var fill = T.CreateTruncating(constant.Fill ?? 0);
        if (!T.IsFinite(fill)) throw NonFiniteValueException.BeyondSingle(constant, 0, 0, constant.Fill ?? 0);
        result.Fill(fill);
    }

    /// <summary>
    /// For each step, the values whose blocks may be reused once it has run: those it reads last, counting a
    /// fused chain's reads at the chain's last step, where they happen (by blocks, or in a loop of generated code), a
    /// folded product's reads at its reader's step, and the reads of a product and the steps in its write-back at the
    /// write-back's last step (they all run while the product does).
    /// </summary>
    private int[][] FreedAfter()
    {
        var last = new int[steps.Length];
        Array.Fill(last, -1);
        foreach (var step in steps)
        {
            int when = Fused(step.Slot) || MayLoop(step.Slot) ? fusion.RootOf(step.Slot) : step.Slot;
            if (foldedInto[step.Slot] >= 0) when = foldedInto[step.Slot];   // a folded product reads when its reader runs
            when = ReadTime(when);
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
        return shape.WithColumns(Math.Min(shape.Columns, Fusion.BlockColumns(shape.Rows)));
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

    private static long Aligned(long count, int alignment) => (count + alignment - 1) / alignment * alignment;

    private static long Checked(Node node, int m)
    {
        if (!node.Shape.Fits(m)) node.Shape.EnsureFits($"{node.Label} (built at {node.Location}) with m = {m}", m);
        return node.Shape.ElementCount(m);
    }

    private void Poison<T>(Memory<T> memory, int s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int o in freedAfter[s]) memory.Values[o].Fill(T.NaN);
    }
}
