using GraphDiff.Tensors;
using System.Globalization;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// The labels <paramref name="y"/> as they are, checked at evaluation to have columns that sum to 1 (one-hot or
    /// distributions): what softmax cross-entropy's gradient softmax(z) − y assumes. Prints as y.
    /// </summary>
    internal static Node DistributionLabels(Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        y.Operation is DistributionLabelsOperation ? y : Node.Apply(DistributionLabelsOperation.Instance, [y], At(file, line));
}

/// <summary>
/// y, unchanged, refused when a column does not sum to 1: softmax cross-entropy's gradient is softmax(z) − y only
/// for such labels (for others it is softmax(z)·Σy − y), so a wrong label is an error, not a wrong gradient.
/// </summary>
internal sealed class DistributionLabelsOperation : Operation
{
    internal static readonly DistributionLabelsOperation Instance = new()
    {
        KeepsFinite = true,
        // A check inside the softmax cross-entropy's gradient: sampled values are not distributions.
        Info = new() { Domain = OperationInfo.NotSampled, Onnx = OperationInfo.NoOnnx, Code = "" },
    };

    /// <summary>
    /// How far a column's sum may be from 1: labels stored in float32 sum to 1 within a few 1e-7, and a finite
    /// difference of 1e-6 on one label stays inside; the mistakes it catches (class numbers, unnormalised weights) are off by 0.1 or more.
    /// </summary>
    private const double Tolerance = 1e-5;

    public override string Name => "DistributionLabels";

    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => Check<double>(inputs[0], result);

    public override void Forward(ReadOnlySpan<Tensor<float>> inputs, Tensor<float> result) => Check(inputs[0], result);

    private static void Check<T>(Tensor<T> y, Tensor<T> result) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int j = 0; j < y.Columns && y.Rows > 0; j++)   // no classes (an empty batch along the rows): nothing to check
        {
            double sum = double.CreateTruncating(TensorPrimitives.Sum<T>(y.Column(j)));
            if (!(Math.Abs(sum - 1) <= Tolerance))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The labels of a softmax cross-entropy must be one-hot or distributions (each column summing to 1), but column {j} sums to {sum:G6}. ") +
                    "Its gradient softmax(z) − y holds only for such labels; one-hot encode the classes (Dataset.OneHot).");
        }
        y.CopyTo(result);
    }

    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream];

    public override string Format(Node node, IReadOnlyList<FormattedOperand> operands) => operands[0].Within(FormattedOperand.Atom);
}
