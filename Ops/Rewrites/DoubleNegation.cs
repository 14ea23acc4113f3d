namespace GraphDiff;

/// <summary>−(−x) → x; a + (−b) → a − b; a − (−b) → a + b.</summary>
internal sealed class DoubleNegation() : RewriteRule("DoubleNegation", "two minus signs cancel", RewritePass.Simplification)
{
    public override Node? Apply(Node node)
    {
        if (Patterns.IsNegation(node, out var x) && Patterns.IsNegation(x, out var inner)) return inner;
        bool add = node.Operation == Op.AddOperation, subtract = node.Operation == Op.SubtractOperation;
        if ((add || subtract) && Patterns.IsNegation(node.Inputs[1], out var b))
            return add
                ? Op.Subtract(node.Inputs[0], b)
                : Op.Add(node.Inputs[0], b);
        return null;
    }
}
