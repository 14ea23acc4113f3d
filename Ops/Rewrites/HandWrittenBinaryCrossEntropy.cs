namespace GraphDiff;

/// <summary>
/// −mean(y·log σ(z) + (1 − y)·log(1 − σ(z))) → BCE-with-logits(z, y): the course's week-2 cost written out by hand
/// is recognised as the loss it is, so its gradient reads as the course derives it, dz = a − y (with 1/m in front
/// of dw and db), and is exact where σ saturates. The logs may already be in their stable form
/// (log σ(z) = −softplus(−z), log(1 − σ(z)) = −softplus(z)), since rules rewrite operands first.
/// </summary>
internal sealed class HandWrittenBinaryCrossEntropy() : RewriteRule("HandWrittenBinaryCrossEntropy", "the cross-entropy written out is the loss: dz = a − y", RewritePass.Stability)
{
    public override Node? Apply(Node node)
    {
        if (!Patterns.IsNegatedMean(node, out var terms) || terms.Shape.Rows < 1) return null;
        foreach (var (positive, negative) in Patterns.Terms(terms))
            foreach (var (y, logOfA) in Patterns.Factors(positive))
                foreach (var (oneMinusY, logOfOneMinusA) in Patterns.Factors(negative))
                    if (Patterns.IsOneMinus(oneMinusY, out var y2) && ReferenceEquals(y, y2) && y.Shape == terms.Shape
                        && LogSigmoid(logOfA, out var z) && LogOneMinusSigmoid(logOfOneMinusA, out var z2) && ReferenceEquals(z, z2))
                    {
                        // The loss is a mean over the m examples; the hand-written mean is over every element.
                        var loss = Op.BinaryCrossEntropyWithLogits(z, y);
                        return terms.Shape.Rows == 1 ? loss : Op.Divide(loss, Graph.Constant(terms.Shape.Rows));
                    }
        return null;
    }

    /// <summary>log σ(z), as written or as −softplus(−z).</summary>
    private static bool LogSigmoid(Node n, out Node z)
    {
        z = n;
        if (n.Operation == Op.LogOperation && n.Inputs[0].Operation == Op.SigmoidOperation) { z = n.Inputs[0].Inputs[0]; return true; }
        return Patterns.IsNegation(n, out var softplus) && softplus.Operation == Op.SoftplusOperation
            && Patterns.IsNegation(softplus.Inputs[0], out z);
    }

    /// <summary>log(1 − σ(z)), as written or as −softplus(z).</summary>
    private static bool LogOneMinusSigmoid(Node n, out Node z)
    {
        z = n;
        if (n.Operation == Op.LogOperation && Patterns.IsOneMinus(n.Inputs[0], out var a) && a.Operation == Op.SigmoidOperation) { z = a.Inputs[0]; return true; }
        if (!Patterns.IsNegation(n, out var softplus) || softplus.Operation != Op.SoftplusOperation) return false;
        z = softplus.Inputs[0];
        return true;
    }
}
