namespace GraphDiff;

/// <summary>(xᵀ)ᵀ → x.</summary>
internal sealed class DoubleTranspose : RewriteRule
{
    public override string Name => "DoubleTranspose";
    public override string Reason => "transposing twice changes nothing";
    public override RewritePass Pass => RewritePass.Simplification;

    public override Node? Apply(Node node) =>
        node.Operation is TransposeOperation && node.Inputs[0] is { Operation: TransposeOperation, Name: null } inner
            ? inner.Inputs[0]
            : null;
}
