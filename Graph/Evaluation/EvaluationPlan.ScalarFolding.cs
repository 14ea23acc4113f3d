using System.Numerics;

namespace GraphDiff;

// Scalar factors folded into the products they scale: dW = 1/m · dZ·Aᵀ as one scaled GEMM.
public sealed partial class EvaluationPlan
{
    /// <summary>
    /// The scalar factors that can go into the product they scale: a step s·P (s a 1×1 value) whose P is a product
    /// (<see cref="Operation.ScalesForFree"/>) of the same shape read by that step alone, outside fused chains. The product
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
            if (steps[scalar].Node.Shape != Shape.Scalar || p.Node.IsLeaf || !p.Node.Operation.ScalesForFree
                || p.Node.Shape != node.Shape || readers[product] != 1 || p.LastUse >= steps.Length
                || fusion.IsInterior(step.Slot) || fusion.GroupEndingAt(step.Slot) is not null) continue;
            folded[step.Slot] = product;
            into[product] = step.Slot;
        }
        return (folded, into);
    }

    /// <summary>Step <paramref name="s"/> = c·P with the product P folded in: P's kernel scaled by c, into s's result.</summary>
    private void RunScaledProduct<T>(Memory<T> memory, int s, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = memory.Values;
        var operandValues = memory.Operands;
        int product = foldedProduct[s];
        var productStep = steps[product];
        var productOperands = operandValues[product];
        for (int k = 0; k < productOperands.Length; k++) productOperands[k] = values[productStep.Operands[k]];
        var result = values[s];
        T alpha = values[steps[s].Operands[0]][0, 0];
        var operation = productStep.Node.Operation;
        ElementForms.ForwardScaled(operation, alpha, productOperands, result);
        if (CheckFinite && result.FirstNonFinite() is { } bad)
        {
            // Name the node that went wrong first, as the unfolded plan would: the product, or the scaling.
            ElementForms.Forward(operation, productOperands, values[product]);
            if (values[product].FirstNonFinite() is { } badProduct) throw NonFiniteValueException.At(productStep.Node, badProduct, productOperands, m);
            var operands = operandValues[s];
            for (int k = 0; k < operands.Length; k++) operands[k] = values[steps[s].Operands[k]];
            throw NonFiniteValueException.At(steps[s].Node, bad, operands, m);
        }
        if (PoisonFreedBuffers) Poison(memory, s);
    }

    /// <summary>Whether scalar factors are folded into the products they scale (on by default; off to compare).</summary>
    internal bool FoldScalarFactors
    {
        get => foldScalarFactors;
        set { foldScalarFactors = value; ClearLayouts(); }
    }

    private bool foldScalarFactors = true;

    /// <summary>How many products ran scaled inside their reader's step in the last lay-out (test aid).</summary>
    internal int FoldedProducts => foldedInto.Count(r => r >= 0);
}
