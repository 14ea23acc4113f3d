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
internal sealed class BinaryCrossEntropyWithLogitsOperation : MeanLoss
{
    internal static readonly BinaryCrossEntropyWithLogitsOperation Instance = new()
    {
        Info = new() { Domain = [(-2, 2), (0.05, 0.95)], Onnx = OperationInfo.NoOnnx, Code = "", Meaning = OperationMeaning.BinaryCrossEntropyOfLogits },
    };
    /// <inheritdoc />
    public override string Name => "BinaryCrossEntropyWithLogits";

    /// <summary>
    /// Σ (max(z, 0) − z·y) + log(1 + e^−|z|), added in that order (so a confident right answer at z = 700 costs 1e−304,
    /// not a cancellation), the logarithms vectorised.
    /// </summary>
    protected override double Total(ReadOnlySpan<double> z, ReadOnlySpan<double> y)
    {
        var rented = System.Buffers.ArrayPool<double>.Shared.Rent(z.Length);   // a pool: evaluation allocates nothing
        var terms = rented.AsSpan(0, z.Length);
        Tensors.TensorMath.Log1pExpNegativeAbs(z, terms);
        for (int i = 0; i < z.Length; i++) terms[i] = (Math.Max(z[i], 0) - z[i] * y[i]) + terms[i];
        double total = System.Numerics.Tensors.TensorPrimitives.Sum<double>(terms);
        System.Buffers.ArrayPool<double>.Shared.Return(rented);
        return total;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        Node z = node.Inputs[0], y = node.Inputs[1];
        var scale = PerExample(upstream, z);
        return [Op.Multiply(scale, Op.Subtract(Op.Sigmoid(z), y)), Op.Negate(Op.Multiply(scale, z))];
    }
}
