namespace GraphDiff;

/// <summary>
/// log σ(x) → −softplus(−x) and log(1 − σ(x)) → −softplus(x): σ rounds to 0 below x ≈ −745 and 1 − σ(x) to 0
/// above x ≈ 37, where the log is −∞; softplus is finite everywhere, and its gradient is σ.
/// </summary>
internal sealed class LogOfSigmoid() : RewriteRule("LogOfSigmoid", "log-sigmoid as a softplus: finite where σ(x) or 1 − σ(x) rounds to 0", RewritePass.Stability)
{
    public override Node? Apply(Node node)
    {
        if (node.Operation != Op.LogOperation) return null;
        var inner = node.Inputs[0];
        if (inner.Operation == Op.SigmoidOperation)
            return Op.Negate(Op.Softplus(Op.Negate(inner.Inputs[0])));
        if (inner.Operation == Op.SubtractOperation && Patterns.IsFilled(inner.Inputs[0], 1) && inner.Inputs[1].Operation == Op.SigmoidOperation
            && inner.Shape == inner.Inputs[1].Shape)
            return Op.Negate(Op.Softplus(inner.Inputs[1].Inputs[0]));
        return null;
    }
}
