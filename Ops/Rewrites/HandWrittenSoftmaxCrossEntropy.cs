namespace GraphDiff;

/// <summary>
/// −mean(Σ_rows y·log softmax(z)) → softmax cross-entropy(z, y): the multi-class cost written out by hand is
/// recognised as the loss, so its gradient reads dZ = A − Y (with 1/m in front of dW), as the course derives it.
/// log softmax may be written as log(Softmax(z)); the stability rule has made it LogSoftmax(z) by then.
/// </summary>
internal sealed class HandWrittenSoftmaxCrossEntropy() : RewriteRule("HandWrittenSoftmaxCrossEntropy", "the softmax cross-entropy written out is the loss: dZ = A − Y", RewritePass.Stability)
{
    public override Node? Apply(Node node)
    {
        if (!Patterns.IsNegatedMean(node, out var perExample) || perExample.Operation is not SumOperation { Axis: 0 }) return null;
        foreach (var (y, log) in Patterns.Factors(perExample.Inputs[0]))
        {
            var z = log.Operation is SoftmaxOperation { IsLog: true } ? log.Inputs[0]
                : log.Operation == Op.LogOperation && log.Inputs[0].Operation is SoftmaxOperation { IsLog: false } ? log.Inputs[0].Inputs[0]
                : null;
            if (z is not null && y.Shape == z.Shape) return Op.SoftmaxCrossEntropy(z, y);
        }
        return null;
    }
}
