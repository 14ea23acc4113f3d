namespace GraphDiff;

/// <summary>
/// BCE(σ(z), y) → BCE-with-logits(z, y): the same cost, computed from z, whose gradient σ(z) − y is exact where
/// σ rounds to 0 or 1 (through the clipped form it is 0 from z ≈ 37 on, and a confidently wrong prediction stops learning).
/// </summary>
internal sealed class BinaryCrossEntropyOfSigmoid() : RewriteRule("BinaryCrossEntropyOfSigmoid", "cross-entropy from the logits: exact cost and gradient where σ saturates", RewritePass.Stability)
{
    public override Node? Apply(Node node) =>
        node.Operation is BinaryCrossEntropyOperation && node.Inputs[0].Operation == Op.SigmoidOperation
            ? Op.BinaryCrossEntropyWithLogits(node.Inputs[0].Inputs[0], node.Inputs[1])
            : null;
}
