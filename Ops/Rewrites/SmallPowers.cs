namespace GraphDiff;

/// <summary>x¹ → x and x² → Square(x): the first is no work at all, the second one multiplication instead of a pow call.</summary>
internal sealed class SmallPowers() : RewriteRule("SmallPowers", "x¹ is x, and x² is one multiplication, not a pow call", RewritePass.Simplification)
{
    public override Node? Apply(Node node) => node.Operation switch
    {
        PowerOperation { Exponent: 1 } => node.Inputs[0],
        PowerOperation { Exponent: 2 } => Op.Square(node.Inputs[0]),
        _ => null,
    };
}
