using System.Numerics.Tensors;

namespace GraphDiff;

/// <summary>
/// J = −1/m Σ y ∘ log softmax(z), column by column (log softmax from z − max z, so it never overflows).
/// ∂J/∂z = (softmax(z) − y)/m, which holds for labels whose columns sum to 1 (checked where it is evaluated);
/// ∂J/∂y = −log softmax(z)/m.
/// </summary>
internal sealed class SoftmaxCrossEntropyOperation() : MeanLoss("SoftmaxCrossEntropy",   // labels are distributions: sampled ones are normalised
    new() { Domain = [(-2, 2), (0.05, 0.95)], Onnx = OperationInfo.NoOnnx, Code = "", Meaning = OperationMeaning.DistributionCrossEntropy })
{
    internal static readonly SoftmaxCrossEntropyOperation Instance = new();

    /// <summary>Σ over the columns of Σ y·(max + log Σ e^(z − max) − z), which is −Σ y·log softmax(z).</summary>
    protected override double Total(Tensor z, Tensor y)
    {
        double total = 0;
        for (int j = 0; j < z.Columns && z.Rows > 0; j++)
        {
            var zj = z.Column(j);
            var yj = y.Column(j);
            double max = TensorPrimitives.Max(zj), sumExp = 0;
            foreach (double v in zj) sumExp += Math.Exp(v - max);
            double logNormaliser = max + Math.Log(sumExp);
            for (int i = 0; i < zj.Length; i++) total += yj[i] * (logNormaliser - zj[i]);
        }
        return total;
    }

    /// <inheritdoc />
    protected override IReadOnlyList<Node?> Backward(Node z, Node y, Node scale) =>
        [Op.Multiply(scale, Op.Subtract(Op.Softmax(z), Op.DistributionLabels(y))), Op.Negate(Op.Multiply(scale, Op.LogSoftmax(z)))];
}
