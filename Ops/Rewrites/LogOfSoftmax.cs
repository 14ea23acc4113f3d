namespace GraphDiff;

/// <summary>log(softmax(z)) → LogSoftmax(z): softmax underflows to 0 for very unlikely classes, and log 0 = −∞.</summary>
internal sealed class LogOfSoftmax() : RewriteRule("LogOfSoftmax", "log-softmax computed directly: finite where softmax underflows", RewritePass.Stability)
{
    public override Node? Apply(Node node) =>
        node.Operation == Op.LogOperation && node.Inputs[0].Operation == SoftmaxOperation.Plain
            ? Op.LogSoftmax(node.Inputs[0].Inputs[0])
            : null;
}
