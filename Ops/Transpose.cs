using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>xᵀ. Compiled, an operand of <see cref="MatMul(Node, Node, string, int)"/> that is a transpose is read in place, not copied.</summary>
    public static Node Transpose(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(TransposeOperation.Instance, x, file, line);
}

/// <summary>y = xᵀ. The gradient is transposed back: ∂J/∂x = (∂J/∂y)ᵀ.</summary>
internal sealed class TransposeOperation : Operation
{
    internal static readonly TransposeOperation Instance = new()
    {
        KeepsFinite = true,
        Info = new() { Domain = OperationInfo.Anywhere, Onnx = (onnx, _, x) => MatMulOperation.Transposed(onnx, x[0]), Code = "Bp.T({0})" },
    };
    /// <inheritdoc />
    public override string Name => "Transpose";
    /// <inheritdoc />
    public override int Precedence => FormattedOperand.Postfix;
    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => new(inputs[0].Shape.Columns, inputs[0].Shape.Rows);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        var x = inputs[0].Span;
        var y = result.Span;
        int rows = inputs[0].Rows, columns = inputs[0].Columns;
        // Blocked so that both the reads and the writes stay within cache lines.
        const int block = 32;
        for (int j0 = 0; j0 < columns; j0 += block)
            for (int i0 = 0; i0 < rows; i0 += block)
                for (int j = j0; j < Math.Min(j0 + block, columns); j++)
                    for (int i = i0; i < Math.Min(i0 + block, rows); i++)
                        y[j + i * columns] = x[i + j * rows];
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [Op.Transpose(upstream)];
    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"{operands[0].Within(FormattedOperand.Atom)}ᵀ";
}
