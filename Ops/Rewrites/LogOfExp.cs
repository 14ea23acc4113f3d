namespace GraphDiff;

/// <summary>log(eˣ) → x: e^x overflows above 709.78 although log(e^x) is just x.</summary>
internal sealed class LogOfExp() : RewriteRule("LogOfExp", "log(eˣ) is x, with no overflow of eˣ", RewritePass.Stability)
{
    public override Node? Apply(Node node) =>
        node.Operation == Op.LogOperation && node.Inputs[0].Operation == Op.ExpOperation ? node.Inputs[0].Inputs[0] : null;
}
