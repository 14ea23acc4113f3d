using System.Numerics;
using GraphDiff.Tensors;

namespace GraphDiff;

// Fused chains of elementwise steps, run a block of whole columns at a time.
public sealed partial class EvaluationPlan
{
    /// <summary>A fused chain, a block of whole columns at a time; the values inside it live in scratch blocks.</summary>
    private void RunFused<T>(Memory<T> memory, int[] group, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = memory.Values;
        int root = group[^1];
        var full = values[root];
        int columns = full.Columns, block = Fusion.BlockColumns(full.Rows);
        for (int j0 = 0; j0 < columns || j0 == 0; j0 += block)
        {
            int width = Math.Min(block, columns - j0);
            foreach (int s in group)
            {
                var operands = memory.Operands[s];
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
                ElementForms.Forward(node.Operation, operands, result);
                if (CheckFinite && result.FirstNonFinite() is { } bad)
                    throw NonFiniteValueException.At(node, bad, operands, m, j0, width);
            }
            if (columns == 0) break;
        }
        if (PoisonFreedBuffers) Poison(memory, root);
    }
}
