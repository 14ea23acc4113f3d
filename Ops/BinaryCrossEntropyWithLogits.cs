namespace GraphDiff;

/// <summary>J = 1/m Σ (max(z, 0) − z·y + log(1 + e^(−|z|))). ∂J/∂z = (σ(z) − y)/m, ∂J/∂y = −z/m.</summary>
internal sealed class BinaryCrossEntropyWithLogitsOperation() : MeanLoss("BinaryCrossEntropyWithLogits",
    new() { Domain = [(-2, 2), (0.05, 0.95)], Onnx = OperationInfo.NoOnnx, Code = "", Meaning = OperationMeaning.BinaryCrossEntropyOfLogits })
{
    internal static readonly BinaryCrossEntropyWithLogitsOperation Instance = new();

    /// <summary>
    /// Σ (max(z, 0) − z·y) + log(1 + e^−|z|), added in that order (so a confident right answer at z = 700 costs 1e−304,
    /// not a cancellation), the logarithms vectorised.
    /// </summary>
    protected override double Total(Tensor prediction, Tensor labels)
    {
        ReadOnlySpan<double> z = prediction.Span, y = labels.Span;
        var rented = ScratchPool<double>.Shared.Rent(z.Length);   // a pool: evaluation allocates nothing
        var terms = rented.AsSpan(0, z.Length);
        Tensors.TensorMath.Log1pExpNegativeAbs(z, terms);
        for (int i = 0; i < z.Length; i++) terms[i] = (Math.Max(z[i], 0) - z[i] * y[i]) + terms[i];
        double total = System.Numerics.Tensors.TensorPrimitives.Sum<double>(terms);
        ScratchPool<double>.Shared.Return(rented);
        return total;
    }

    /// <inheritdoc />
    protected override IReadOnlyList<Node?> Backward(Node z, Node y, Node scale) =>
        [Op.Multiply(scale, Op.Subtract(Op.Sigmoid(z), y)), Op.Negate(Op.Multiply(scale, z))];
}
