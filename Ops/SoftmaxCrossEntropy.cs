using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// Multi-class cross-entropy from scores: J = −1/m Σ y ∘ log softmax(z), with labels <paramref name="y"/> of z's
    /// shape (classes, m) whose columns are one-hot or distributions. Computed from the scores, so it is stable,
    /// and its gradient is the course's dZ = softmax(z) − y (over m); the labels are checked to sum to 1 per column
    /// whenever that gradient is evaluated.
    /// </summary>
    public static Node SoftmaxCrossEntropy(Node z, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Losses.RequireSameShape("SoftmaxCrossEntropy", z, y);
        return Node.Apply(SoftmaxCrossEntropyOperation.Instance, [z, y], At(file, line));
    }
}

/// <summary>
/// J = −1/m Σ y ∘ log softmax(z), column by column (log softmax from z − max z, so it never overflows).
/// ∂J/∂z = (softmax(z) − y)/m, which holds for labels whose columns sum to 1 (checked where it is evaluated);
/// ∂J/∂y = −log softmax(z)/m.
/// </summary>
internal sealed class SoftmaxCrossEntropyOperation : Operation
{
    internal static readonly SoftmaxCrossEntropyOperation Instance = new()
    {
        // The labels are distributions: the sampled ones are normalised, as the meaning says.
        Info = new() { Domain = [(-2, 2), (0.05, 0.95)], Onnx = OperationInfo.NoOnnx, Code = "", Meaning = OperationMeaning.DistributionCrossEntropy },
    };

    /// <inheritdoc />
    public override string Name => "SoftmaxCrossEntropy";

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Losses.RequireSameShape(Name, inputs[0], inputs[1]);
        return Shape.Scalar;
    }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        Tensor z = inputs[0], y = inputs[1];
        double total = 0;
        for (int j = 0; j < z.Columns; j++)
        {
            var zj = z.Column(j);
            var yj = y.Column(j);
            if (zj.Length == 0) continue;
            // −Σ y·(z − max − log Σ e^(z − max)) = Σ y·(max + log Σ e^(z − max) − z)
            double max = TensorPrimitives.Max(zj), sumExp = 0;
            foreach (double v in zj) sumExp += Math.Exp(v - max);
            double logNormaliser = max + Math.Log(sumExp);
            for (int i = 0; i < zj.Length; i++) total += yj[i] * (logNormaliser - zj[i]);
        }
        result[0, 0] = total / z.Columns;   // over m = 0 examples: NaN, reported as empty data
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        Node z = node.Inputs[0], y = node.Inputs[1];
        var scale = Op.Divide(upstream, Op.Count(z, axis: 1));
        return [Op.Multiply(scale, Op.Subtract(Op.Softmax(z), Op.DistributionLabels(y))), Op.Negate(Op.Multiply(scale, Op.LogSoftmax(z)))];
    }
}
