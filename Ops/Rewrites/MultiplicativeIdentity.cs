namespace GraphDiff;

/// <summary>
/// x·1 → x, 1·x → x, x/1 → x; c·0 and 0·c → 0 of the result's shape for a constant c. A computed x times 0 stays:
/// if x were NaN or ∞ the product would be too, and the plan reports it, which dropping x would hide.
/// </summary>
internal sealed class MultiplicativeIdentity() : RewriteRule("MultiplicativeIdentity", "multiplying by one changes nothing; by zero gives zero", RewritePass.Simplification)
{
    public override Node? Apply(Node node)
    {
        bool multiply = node.Operation == Op.MultiplyOperation;
        if (!multiply && node.Operation != Op.DivideOperation) return null;
        Node a = node.Inputs[0], b = node.Inputs[1];
        if (Patterns.IsFilled(b, 1) && a.Shape == node.Shape) return a;
        if (!multiply) return null;
        if (Patterns.IsFilled(a, 1) && b.Shape == node.Shape) return b;
        if ((Patterns.IsFilled(a, 0) && b is Constant) || (Patterns.IsFilled(b, 0) && a is Constant))
            return Graph.Filled(node.Shape, 0.0);
        return null;
    }
}
