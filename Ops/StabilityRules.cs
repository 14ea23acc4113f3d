using System.Runtime.CompilerServices;

namespace GraphDiff;

/// <summary>Registers the built-in operations' stability rules with the compiler when this library loads.</summary>
internal static class StabilityRules
{
#pragma warning disable CA2255 // The rules must be known before any graph of these operations is compiled; loading the library is that moment.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        Compiler.AddStabilityRule(new BinaryCrossEntropyOfSigmoid());
        Compiler.AddStabilityRule(new LogOfExp());
        Compiler.AddStabilityRule(new LogOfSoftmax());
    }
}

/// <summary>
/// BCE(σ(z), y) → BCE-with-logits(z, y): the same cost, computed from z, whose gradient σ(z) − y is exact where
/// σ rounds to 0 or 1 (through the clipped form it is 0 from z ≈ 37 on, and a confidently wrong prediction stops learning).
/// </summary>
internal sealed class BinaryCrossEntropyOfSigmoid : RewriteRule
{
    public override string Name => "BinaryCrossEntropyOfSigmoid";
    public override string Reason => "cross-entropy from the logits: exact cost and gradient where σ saturates";

    public override Node? Apply(Node node) =>
        node.Operation is BinaryCrossEntropyOperation && node.Inputs[0].Operation == Op.SigmoidOperation
            ? Op.BinaryCrossEntropyWithLogits(node.Inputs[0].Inputs[0], node.Inputs[1], node.Location.File, node.Location.Line)
            : null;
}

/// <summary>log(eˣ) → x: e^x overflows above 709.78 although log(e^x) is just x.</summary>
internal sealed class LogOfExp : RewriteRule
{
    public override string Name => "LogOfExp";
    public override string Reason => "log(eˣ) is x, with no overflow of eˣ";

    public override Node? Apply(Node node) =>
        node.Operation == Op.LogOperation && node.Inputs[0].Operation == Op.ExpOperation ? node.Inputs[0].Inputs[0] : null;
}

/// <summary>log(softmax(z)) → LogSoftmax(z): softmax underflows to 0 for very unlikely classes, and log 0 = −∞.</summary>
internal sealed class LogOfSoftmax : RewriteRule
{
    public override string Name => "LogOfSoftmax";
    public override string Reason => "log-softmax computed directly: finite where softmax underflows";

    public override Node? Apply(Node node) =>
        node.Operation == Op.LogOperation && node.Inputs[0].Operation is SoftmaxOperation
            ? Op.LogSoftmax(node.Inputs[0].Inputs[0], node.Location.File, node.Location.Line)
            : null;
}
