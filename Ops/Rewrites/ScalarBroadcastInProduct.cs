namespace GraphDiff;

/// <summary>
/// broadcast(s)·x → s·x for a 1×1 s broadcast to x's shape: a product broadcasts a number by itself. It is what
/// the gradient of Σw² scaled by a number leaves (2·broadcast(λ/2m)·w), and then reads λ/m · w, as the course writes
/// the L2 term of dW.
/// </summary>
internal sealed class ScalarBroadcastInProduct() : RewriteRule("ScalarBroadcastInProduct", "a number needs no broadcast to scale a matrix", RewritePass.Simplification)
{
    public override Node? Apply(Node node)
    {
        foreach (var (broadcast, x) in Patterns.Factors(node))
            if (broadcast.Operation is BroadcastToOperation && Patterns.IsScalar(broadcast.Inputs[0]) && broadcast.Shape == x.Shape)
                return Op.Multiply(broadcast.Inputs[0], x);
        return null;
    }
}
