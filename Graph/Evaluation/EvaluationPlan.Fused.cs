using System.Numerics;
using GraphDiff.Tensors;

namespace GraphDiff;

// Fused chains of elementwise steps, run a block of whole columns at a time.
public sealed partial class EvaluationPlan
{
    /// <summary>
    /// Chains with at least this many elements split their blocks over the cores. One block is 1,024 elements and a
    /// pass over it a few hundred nanoseconds: below this, handing the second half to a worker costs about what it saves.
    /// </summary>
    internal const int ParallelFusedElements = 1 << 17;

    /// <summary>A fused chain, a block of whole columns at a time; the values inside it live in scratch blocks.</summary>
    private void RunFused<T>(Memory<T> memory, int[] group, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var full = memory.Values[group[^1]];
        int columns = full.Columns, block = Fusion.BlockColumns(full.Rows);
        int blocks = columns == 0 ? 1 : (columns + block - 1) / block;
        int parts = Math.Min(blocks, Environment.ProcessorCount);
        if (parts < 2 || !SplitsOverCores(memory, group[^1]))
        {
            RunFusedBlocks(memory, group, m, 0, blocks, memory.Values, memory.Operands);
        }
        else
        {
            try
            {
                TensorMath.ForEachPart(parts, (this, memory, group, m, blocks, parts), static (s, part) =>
                {
                    var (plan, memory, group, m, blocks, parts) = s;
                    int first = (int)((long)blocks * part / parts), last = (int)((long)blocks * (part + 1) / parts);
                    // Part 0 uses the plan's own scratch blocks; the others their own, so no two threads share one.
                    var (values, operands) = memory.Part(part, group);
                    plan.RunFusedBlocks(memory, group, m, first, last, values, operands);
                });
            }
            catch (NonFiniteValueException)
            {
                // Blocks ran in any order: run them in order on this thread, so the error names the first bad element as
                // one thread would (the chain's operands are untouched: its result never shares their storage).
                RunFusedBlocks(memory, group, m, 0, blocks, memory.Values, memory.Operands);
                throw;
            }
        }
        if (PoisonFreedBuffers) Poison(memory, group[^1]);
    }

    /// <summary>
    /// Blocks <paramref name="first"/> … <paramref name="last"/>−1 of a chain, its interior values in the scratch blocks
    /// of <paramref name="values"/> and its operands gathered into <paramref name="operands"/>.
    /// </summary>
    private void RunFusedBlocks<T>(Memory<T> memory, int[] group, int m, int first, int last, Tensor<T>[] values, Tensor<T>[][] operands)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var full = memory.Values[group[^1]];
        int columns = full.Columns, block = Fusion.BlockColumns(full.Rows);
        for (int b = first; b < last; b++)
        {
            int j0 = b * block;
            RunFusedBlock(memory, group, m, j0, Math.Max(0, Math.Min(block, columns - j0)), values, operands);
        }
    }

    /// <summary>
    /// Columns <paramref name="j0"/> … <paramref name="j0"/> + <paramref name="width"/> − 1 of a chain (at most a block),
    /// its interior values in the scratch blocks of <paramref name="values"/> and its operands gathered into <paramref name="operands"/>.
    /// </summary>
    private void RunFusedBlock<T>(Memory<T> memory, int[] group, int m, int j0, int width, Tensor<T>[] values, Tensor<T>[][] operands)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int root = group[^1];
        var full = memory.Values[root];
        int columns = full.Columns;
        foreach (int s in group)
        {
            var stepOperands = operands[s];
            var slots = steps[s].Operands;
            for (int k = 0; k < stepOperands.Length; k++)
            {
                int o = slots[k];
                var v = memory.Values[o];
                stepOperands[k] = fusion.IsInterior(o) && fusion.RootOf(o) == root ? values[o].ColumnRange(0, width)
                    : v.Columns == columns ? v.ColumnRange(j0, width) : v;
            }
            var result = s == root ? full.ColumnRange(j0, width) : values[s].ColumnRange(0, width);
            var node = steps[s].Node;
            ElementForms.Forward(node.Operation, stepOperands, result);
            if (CheckFinite && result.FirstNonFinite() is { } bad)
                throw NonFiniteValueException.At(node, bad, stepOperands, m, j0, width);
        }
    }

    /// <summary>
    /// Whether the chain ending at <paramref name="root"/> splits its blocks over the cores in this run: fused by blocks,
    /// big enough, and more than one core (an elementwise kernel, a user's included, may run on several parts at once, as
    /// unary kernels already did on large inputs). Such a chain runs so even when it has a generated loop, which is one
    /// thread's (64×4096 with its gradient: 7.8 ms as loops, 6.0 ms split over 2 cores).
    /// </summary>
    private bool SplitsOverCores<T>(Memory<T> memory, int root) where T : unmanaged, IFloatingPointIeee754<T> =>
        fusedRoot[root] && Environment.ProcessorCount > 1 && memory.Values[root].Length >= ParallelFusedElements;
}
