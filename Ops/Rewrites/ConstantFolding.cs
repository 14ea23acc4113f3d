namespace GraphDiff;

/// <summary>An operation on constants alone is computed once, when compiling: 2·3 → 6.</summary>
internal sealed class ConstantFolding() : RewriteRule("ConstantFolding", "computed once, when compiling", RewritePass.Simplification)
{
    /// <summary>Larger results stay operations: folding would copy them into the graph.</summary>
    private const int MaxElements = 4096;

    public override Node? Apply(Node node)
    {
        if (node.IsLeaf || node.Shape.HasBatch || node.Shape.ElementCount() > MaxElements) return null;
        if (!node.Inputs.All(i => i is Constant && !i.Shape.HasBatch)) return null;
        // Computed directly by the operation's kernel: a plan per fold would cost more than the fold saves.
        var operands = new Tensor[node.Inputs.Count];
        for (int k = 0; k < operands.Length; k++)
        {
            var c = (Constant)node.Inputs[k];
            operands[k] = Tensor.Zeros(c.Shape.Rows, c.Shape.Columns);
            c.WriteTo(operands[k]);
        }
        var value = Tensor.Zeros(node.Shape.Rows, node.Shape.Columns);
        node.Operation.Forward(operands, value);
        if (value.FirstNonFinite() is not null) return null;   // left for the plan, which reports it with the operands
        double first = value.Length > 0 ? value[0, 0] : 0;
        bool filled = true;
        for (int j = 0; j < value.Columns && filled; j++)
            foreach (double v in value.Column(j))
                if (v != first) { filled = false; break; }
        if (filled) return Graph.Filled(node.Shape, first);
        // 0.5·C stays a formula over the named matrix C: an anonymous matrix would hide where its numbers came from.
        return node.Inputs.Any(i => i.Name is not null) ? null : Graph.Constant(node.Shape, value.ToMatrixCopy());
    }
}
