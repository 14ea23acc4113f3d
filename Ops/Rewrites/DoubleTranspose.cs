namespace GraphDiff;

/// <summary>(xᵀ)ᵀ → x.</summary>
internal sealed class DoubleTranspose() : RewriteRule("DoubleTranspose", "transposing twice changes nothing", RewritePass.Simplification)
{
    public override Node? Apply(Node node) =>
        node.Operation is TransposeOperation && node.Inputs[0] is { Operation: TransposeOperation, Name: null } inner
            ? inner.Inputs[0]
            : null;
}
