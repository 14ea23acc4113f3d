using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// Binary cross-entropy of σ(<paramref name="z"/>) against <paramref name="y"/>, computed from the logits z as
    /// 1/m Σ (max(z, 0) − z·y + log(1 + e^(−|z|))): the loss and its gradient stay finite even at z = ±1000,
    /// where σ(z) rounds to exactly 0 or 1.
    /// </summary>
    public static Node BinaryCrossEntropyWithLogits(Node z, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Losses.RequireSameShape("BinaryCrossEntropyWithLogits", z, y);
        return Node.Apply(BinaryCrossEntropyWithLogitsOperation.Instance, [z, y], At(file, line));
    }
}

/// <summary>J = 1/m Σ (max(z, 0) − z·y + log(1 + e^(−|z|))). ∂J/∂z = (σ(z) − y)/m, ∂J/∂y = −z/m.</summary>
public sealed class BinaryCrossEntropyWithLogitsOperation : MeanLoss
{
    internal static readonly BinaryCrossEntropyWithLogitsOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "BinaryCrossEntropyWithLogits";

    /// <inheritdoc />
    protected override double Term(double z, double y) => Math.Max(z, 0) - z * y + double.LogP1(Math.Exp(-Math.Abs(z)));

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        Node z = node.Inputs[0], y = node.Inputs[1];
        var scale = PerExample(upstream, z);
        return [Op.Multiply(scale, Op.Subtract(Op.Sigmoid(z), y)), Op.Negate(Op.Multiply(scale, z))];
    }
}
