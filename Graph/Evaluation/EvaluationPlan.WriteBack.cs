using System.Numerics;
using GraphDiff.Tensors;

namespace GraphDiff;

// Elementwise steps run in a product's write-back (a GEMM epilogue): Z = W·A + b and A = ReLU(Z) computed on each run of
// W·A's columns as the product finishes it, while it is in the cache, instead of in passes of their own over memory.
public sealed partial class EvaluationPlan
{
    // Per step, decided at each lay-out: for a product hosting a write-back, the last step computed in it (else −1);
    // for a step computed in a write-back, the product (else −1).
    private int[] writeBackEnd = [];
    private int[] writeBackHost = [];

    /// <summary>
    /// When true (the default, with <see cref="Fuse"/>), a product (<see cref="Operation.HasWriteBack"/>: MatMul) runs the
    /// elementwise steps right after it on each run of its columns as it finishes them, while they are in the cache: Z =
    /// W·A + b and A = ReLU(Z) as W·A is written, dZ = (Wᵀ·dZ') ⊙ Step(Z) as Wᵀ·dZ' is. Same values, bit for bit, and the
    /// same errors; <see cref="WriteBacks"/> lists what ran where. False runs each such step as a pass of its own.
    /// </summary>
    public bool UseWriteBacks
    {
        get => useWriteBacks;
        set { useWriteBacks = value; ClearLayouts(); }
    }

    private bool useWriteBacks = true;

    /// <summary>
    /// The steps run in products' write-backs for the last batch size run, a line per product, e.g.
    /// <c>%4 MatMul (Model.cs:12) → %5 Add, %6 ReLU</c> (slots as in <see cref="Schedule"/>); <c>null</c> when none were.
    /// A product takes them when it has at least 32,768 elements (smaller values stay in the cache anyway).
    /// </summary>
    public string? WriteBacks
    {
        get
        {
            var lines = Enumerable.Range(0, writeBackEnd.Length).Where(p => writeBackEnd[p] >= 0).Select(p =>
                $"%{p} {steps[p].Node.Operation.Name} ({steps[p].Node.Location}) → " + string.Join(", ",
                    Enumerable.Range(p + 1, writeBackEnd[p] - p).Where(k => writeBackHost[k] == p)
                        .SelectMany(k => fusion.Chain(k)).Select(s => $"%{s} {steps[s].Node.Operation.Name}")));
            return lines.Any() ? string.Join(Environment.NewLine, lines) : null;
        }
    }

    /// <summary>How many steps ran in products' write-backs in the last lay-out, a fused chain's interior steps included (test aid).</summary>
    internal int WrittenBackSteps => writeBackHost.Select((h, k) => h < 0 ? 0 : fusion.GroupEndingAt(k)?.Length ?? 1).Sum();

    /// <summary>
    /// The write-backs for batch size <paramref name="m"/>: a product P (<see cref="Operation.HasWriteBack"/>, as big as a
    /// fused chain, not folded) takes the steps right after it in the schedule (constants aside) while each is elementwise
    /// of P's shape (alone or as the last step of a fused chain), reads P or a step taken before it, and reads nothing
    /// else computed after P. Those steps then run on each run of P's columns as the product finishes it. Only with <see cref="Fuse"/>
    /// (the reference interpreter runs every step on its own).
    /// </summary>
    private (int[] Host, int[] End) ChooseWriteBacks(int m)
    {
        var host = new int[steps.Length];
        var end = new int[steps.Length];
        Array.Fill(host, -1);
        Array.Fill(end, -1);
        if (!fuse || !useWriteBacks) return (host, end);
        for (int p = 0; p < steps.Length; p++)
        {
            var product = steps[p].Node;
            if (product.IsLeaf || !product.Operation.HasWriteBack || host[p] >= 0 || foldedInto[p] >= 0 || foldedProduct[p] >= 0
                || Fused(p) || product.Shape.ElementCount(m) < FuseAtElements) continue;
            int last = p;
            for (int k = p + 1; k < steps.Length; k++)
            {
                // A step computed with its chain (at the chain's last step), or a constant (written at lay-out), is passed over.
                if (Fused(k) || steps[k].Node is Constant) continue;
                if (!JoinsWriteBack(p, k, host)) break;
                host[k] = p;
                last = k;
            }
            if (last > p) end[p] = last;
        }
        return (host, end);
    }

    /// <summary>Whether step <paramref name="k"/> can run in the write-back of product <paramref name="p"/> (see <see cref="ChooseWriteBacks"/>).</summary>
    private bool JoinsWriteBack(int p, int k, int[] host)
    {
        var node = steps[k].Node;
        if (node.IsLeaf || !node.Operation.IsElementwise || node.Shape != steps[p].Node.Shape
            || foldedInto[k] >= 0 || foldedProduct[k] >= 0 || (fusion.GroupEndingAt(k) is not null && !fusedRoot[k])) return false;
        bool readsProduct = false;
        foreach (int s in fusion.GroupEndingAt(k) ?? [k])
            foreach (int o in steps[s].Operands)
            {
                if (fusion.IsInterior(o) && fusion.RootOf(o) == k) continue;
                if (o == p || host[o] == p) readsProduct = true;
                else if (o > p && steps[o].Node is not Constant) return false;   // computed after the product, outside its write-back
            }
        return readsProduct;
    }

    /// <summary>The step at which the reads of step <paramref name="when"/> happen: a write-back's steps all read while its product runs.</summary>
    private int ReadTime(int when) =>
        when < 0 ? when : writeBackHost[when] >= 0 ? writeBackEnd[writeBackHost[when]] : writeBackEnd[when] >= 0 ? writeBackEnd[when] : when;

    /// <summary>
    /// Product <paramref name="p"/> with its write-back: each run of columns it finishes goes through the steps it hosts.
    /// A NaN or ∞ found there is named by running the product and its steps again one by one, as the interpreter would.
    /// </summary>
    private void RunWritingBack<T>(Memory<T> memory, int p, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var operands = memory.Operands[p];
        var slots = steps[p].Operands;
        for (int k = 0; k < operands.Length; k++) operands[k] = memory.Values[slots[k]];
        (writingBack, writeBackM, writeBackFailed, writtenBackColumns) = (p, m, false, 0);
        var node = steps[p].Node;
        ElementForms.ForwardWritingBack(node.Operation, operands, memory.Values[p], memory.WriteBack ??= memory.WriteBackCallback(this));
        // A column reported twice or never would leave the steps' values wrong without a sign: refuse instead.
        if (writtenBackColumns != memory.Values[p].Columns)
            throw new InvalidOperationException(
                $"{node.Operation.Name} ({node.Label}, built at {node.Location}) reported {writtenBackColumns} columns of its {memory.Values[p].Columns} to its write-back: " +
                "an operation with HasWriteBack must report each column of its result exactly once.");
        if (writeBackFailed)
        {
            RunStep(memory, p, m);
            for (int k = p + 1; k <= writeBackEnd[p]; k++)
                if (writeBackHost[k] == p)
                {
                    if (fusion.GroupEndingAt(k) is { } group) RunFused(memory, group, m);
                    else RunStep(memory, k, m);
                }
        }
        if (PoisonFreedBuffers) Poison(memory, writeBackEnd[p]);
    }

    // The write-back under way (a plan runs one product at a time): its product, m, and whether a NaN or ∞ was seen.
    private int writingBack, writeBackM;
    private volatile bool writeBackFailed;
    private long writtenBackColumns;

    /// <summary>Columns <paramref name="j0"/> … <paramref name="j1"/>−1 of the product under way, through the steps it hosts, with part <paramref name="part"/>'s scratch.</summary>
    private void WriteBackColumns<T>(Memory<T> memory, int part, int j0, int j1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = writingBack, m = writeBackM;
        Interlocked.Add(ref writtenBackColumns, j1 - j0);
        var product = memory.Values[p];
        int columns = product.Columns, block = Fusion.BlockColumns(product.Rows);
        try
        {
            if (CheckFinite && product.ColumnRange(j0, j1 - j0).FirstNonFinite() is not null) { writeBackFailed = true; return; }
            for (int k = p + 1; k <= writeBackEnd[p]; k++)
            {
                if (writeBackHost[k] != p) continue;
                // A chain a block at a time, its interior values in scratch blocks; a step alone on the whole run.
                var chain = fusion.Chain(k);
                var (values, operands) = memory.Part(part, chain);
                int width = chain.Length > 1 ? block : j1 - j0;
                for (int j = j0; j < j1; j += width) RunFusedBlock(memory, chain, m, j, Math.Min(width, j1 - j), values, operands);
            }
        }
        catch (NonFiniteValueException)
        {
            writeBackFailed = true;   // named when the steps run again one by one
        }
    }

    private sealed partial class Memory<T>
    {
        /// <summary>The callback a product's write-back calls (made once: a run allocates nothing).</summary>
        public Action<int, int, int>? WriteBack;

        public Action<int, int, int> WriteBackCallback(EvaluationPlan plan) => (part, j0, j1) => plan.WriteBackColumns(this, part, j0, j1);
    }
}
