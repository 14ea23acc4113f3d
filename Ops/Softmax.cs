using GraphDiff.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// Softmax of each column (each example's scores become a probability distribution over the n classes):
    /// s = e^(z − max z) / Σ e^(z − max z), stable for any finite z.
    /// </summary>
    public static Node Softmax(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SoftmaxOperation.Plain, OverColumns("Softmax", z), file, line);

    // The column softmax of a matrix; a value of rank N says which axis its distributions run along.
    private static Node OverColumns(string operation, Node z, [CallerArgumentExpression(nameof(z))] string? parameter = null)
    {
        ArgumentNullException.ThrowIfNull(z, parameter);
        return z.Shape.Rank == 2 ? z : throw ShapeMismatchException.For(operation, [z],
            $"{operation}({z.Label}) runs down each column of a matrix; for a value of rank {z.Shape.Rank} name the axis the distributions run along, " +
            $"e.g. Op.{operation}({z.Label}, axis: {z.Shape.Rank - 2}) for the channels of an image");
    }

    /// <summary>log(softmax(z)) of each column, computed as z − max z − log Σ e^(z − max z): finite where softmax underflows.</summary>
    public static Node LogSoftmax(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SoftmaxOperation.Log, OverColumns("LogSoftmax", z), file, line);
}

/// <summary>
/// Softmax per column, or its logarithm. Both shift each column by its maximum first, so no exponential
/// overflows. s = softmax(z): ∂J/∂z = s ∘ (g − Σ_rows(g ∘ s)), reusing s. ℓ = log softmax(z): ∂J/∂z =
/// g − e^ℓ ∘ Σ_rows g (e^ℓ is the softmax, from the forward value).
/// </summary>
internal sealed class SoftmaxOperation : Operation
{
    internal static readonly SoftmaxOperation Plain = new(log: false) { KeepsFinite = true }, Log = new(log: true);   // z − max(z) can overflow to −∞ for z of ±1e308

    private SoftmaxOperation(bool log)
    {
        IsLog = log;
        Info = new()
        {
            Domain = OperationInfo.Anywhere, Code = "",
            // GraphDiff normalises each column (rows are classes): ONNX's axis 0.
            Onnx = OperationInfo.OnnxAs(log ? "LogSoftmax" : "Softmax", ("axis", 0L)),
            Meaning = log ? OperationMeaning.LogDistribution : OperationMeaning.Distribution,
        };
    }

    /// <summary>Whether this is log softmax.</summary>
    public bool IsLog { get; }
    /// <inheritdoc />
    public override string Name => IsLog ? "LogSoftmax" : "Softmax";
    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => Normalise<double>(inputs[0], result);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor<float>> inputs, Tensor<float> result) => Normalise(inputs[0], result);

    private void Normalise<T>(Tensor<T> x, Tensor<T> result) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (x.Rows == 0) return;   // no classes: nothing to normalise
        for (int j = 0; j < x.Columns; j++)
        {
            var z = x.Column(j);
            var y = result.Column(j);
            TensorPrimitives.Subtract(z, TensorPrimitives.Max(z), y);
            if (IsLog) TensorPrimitives.Subtract(y, T.Log(SumExp<T>(y)), y);
            else
            {
                TensorPrimitives.Exp(y, y);
                TensorPrimitives.Divide(y, TensorPrimitives.Sum<T>(y), y);
            }
        }
    }

    // Summed in double whatever T: the log of a sum of exponentials is where float would lose the most.
    private static T SumExp<T>(ReadOnlySpan<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (var v in x) sum += Math.Exp(double.CreateTruncating(v));
        return T.CreateTruncating(sum);
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => IsLog
        ? [Op.Subtract(upstream, Op.Multiply(Op.Exp(node), Op.Sum(upstream, axis: 0)))]
        : [Op.Multiply(node, Op.Subtract(upstream, Op.Sum(Op.Multiply(upstream, node), axis: 0)))];
}
