using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>log(softmax(z)) of each column, computed as z − max z − log Σ e^(z − max z): finite where softmax underflows.</summary>
    public static Node LogSoftmax(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(LogSoftmaxOperation.Instance, z, file, line);
}

/// <summary>ℓ = log softmax(z) per column. ∂J/∂z = g − e^ℓ ∘ Σ_rows g (e^ℓ is the softmax, from the forward value).</summary>
public sealed class LogSoftmaxOperation : Operation
{
    internal static readonly LogSoftmaxOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "LogSoftmax";
    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        var z = inputs[0].Span;
        var l = result.Span;
        int rows = inputs[0].Rows;
        if (rows == 0) return;   // no classes: nothing to normalise
        for (int j = 0; j < inputs[0].Columns; j++)
        {
            var zc = z.Slice(j * rows, rows);
            var lc = l.Slice(j * rows, rows);
            TensorPrimitives.Subtract(zc, TensorPrimitives.Max(zc), lc);
            double logSum = Math.Log(SumExp(lc));
            TensorPrimitives.Subtract(lc, logSum, lc);
        }
    }

    private static double SumExp(ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (double v in x) sum += Math.Exp(v);
        return sum;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Op.Subtract(upstream, Op.Multiply(Op.Exp(node), Op.Sum(upstream, axis: 0)))];
}
