using System.Numerics.Tensors;
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
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        int rows = inputs[0].Rows;
        if (rows == 0) return;   // no classes: nothing to normalise
        for (int j = 0; j < inputs[0].Columns; j++)
        {
            var z = inputs[0].Column(j);
            var y = result.Column(j);
            TensorPrimitives.Subtract(z, TensorPrimitives.Max(z), y);
            if (IsLog) TensorPrimitives.Subtract(y, Math.Log(SumExp(y)), y);
            else
            {
                TensorPrimitives.Exp(y, y);
                TensorPrimitives.Divide(y, TensorPrimitives.Sum<double>(y), y);
            }
        }
    }

    private static double SumExp(ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (double v in x) sum += Math.Exp(v);
        return sum;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => IsLog
        ? [Op.Subtract(upstream, Op.Multiply(Op.Exp(node), Op.Sum(upstream, axis: 0)))]
        : [Op.Multiply(node, Op.Subtract(upstream, Op.Sum(Op.Multiply(upstream, node), axis: 0)))];
}
