namespace GraphDiff;

/// <summary>x + 0 → x, 0 + x → x, x − 0 → x, 0 − x → −x (where the zero does not widen the result by broadcasting).</summary>
internal sealed class AdditiveIdentity() : RewriteRule("AdditiveIdentity", "adding zero changes nothing", RewritePass.Simplification)
{
    public override Node? Apply(Node node)
    {
        bool add = node.Operation == Op.AddOperation, subtract = node.Operation == Op.SubtractOperation;
        if (!add && !subtract) return null;
        Node a = node.Inputs[0], b = node.Inputs[1];
        if (Patterns.IsFilled(b, 0) && a.Shape == node.Shape) return a;
        if (Patterns.IsFilled(a, 0) && b.Shape == node.Shape)
            return add ? b : Op.Negate(b);
        return null;
    }
}
