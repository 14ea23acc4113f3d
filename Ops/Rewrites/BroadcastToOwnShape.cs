namespace GraphDiff;

/// <summary>BroadcastTo(x, like) → x when x already has like's shape: nothing is repeated, so nothing is copied.</summary>
internal sealed class BroadcastToOwnShape() : RewriteRule("BroadcastToOwnShape", "broadcasting to the shape a value already has changes nothing", RewritePass.Simplification)
{
    public override Node? Apply(Node node) =>
        node.Operation is BroadcastToOperation && node.Inputs[0].Shape == node.Shape ? node.Inputs[0] : null;
}
