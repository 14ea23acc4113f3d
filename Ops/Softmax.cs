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
        Unary(SoftmaxOperation.Instance, z, file, line);
}

/// <summary>s = softmax(z) per column. ∂J/∂z = s ∘ (g − Σ_rows(g ∘ s)), reusing the forward value s.</summary>
internal sealed class SoftmaxOperation : Operation
{
    internal static readonly SoftmaxOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Softmax";
    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        var z = inputs[0].Span;
        var s = result.Span;
        int rows = inputs[0].Rows;
        if (rows == 0) return;   // no classes: nothing to normalise
        for (int j = 0; j < inputs[0].Columns; j++)
        {
            var zc = z.Slice(j * rows, rows);
            var sc = s.Slice(j * rows, rows);
            TensorPrimitives.Subtract(zc, TensorPrimitives.Max(zc), sc);
            TensorPrimitives.Exp(sc, sc);
            TensorPrimitives.Divide(sc, TensorPrimitives.Sum<double>(sc), sc);
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Op.Multiply(node, Op.Subtract(upstream, Op.Sum(Op.Multiply(upstream, node), axis: 0)))];
}
