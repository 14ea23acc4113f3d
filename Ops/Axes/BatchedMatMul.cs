using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// C = op(A)·op(B) batched over the leading axes (numpy's matmul), built by <see cref="Op.MatMul(Node, bool, Node, bool, string, int)"/>
/// when an operand has rank ≥ 3. By the storage rule matrix i of a (L…, r, c) value is the strided view of rows
/// i·r … i·r + r − 1 of its (L·r) × c storage, so each product is one GEMM on views, nothing copied. A plain matrix
/// (rank 2) operand is used for every matrix of the other; its gradient is the sum over the batch of matrices.
/// </summary>
internal sealed class BatchedMatMulOperation : Operation
{
    internal static readonly BatchedMatMulOperation[] Examples =
    [
        new(Shape.Of(2, 3, 4), false, Shape.Of(2, 4, 5), false),
        new(new Shape(3, 4), false, Shape.Of(2, 4, 5), false),
        new(Shape.Of(2, 3, 4), false, new Shape(4, 2), false),
        new(Shape.Of(2, 4, 3), true, Shape.Of(2, 5, 4), true),
        new(Shape.Of(3, 1, 2, 3), false, Shape.Of(3, 1, 2, 3), true),
        new(new Shape(4, 3), true, Shape.Of(2, 4, 2), false),
    ];

    private readonly Shape a, b;
    private readonly bool transposeA, transposeB;

    internal BatchedMatMulOperation(Shape a, bool transposeA, Shape b, bool transposeB)
    {
        this.a = a;
        this.b = b;
        this.transposeA = transposeA;
        this.transposeB = transposeB;
        Info = new()
        {
            Domain = OperationInfo.Anywhere, SampleShapes = [a, b], Code = "",
            Onnx = (onnx, _, x) => onnx.Add("MatMul", [transposeA ? Swapped(onnx, x[0], a.Rank) : x[0], transposeB ? Swapped(onnx, x[1], b.Rank) : x[1]]),
            Rebuild = at => new BatchedMatMulOperation(AxisAttributes.Shape(at, "a"), MatMulOperation.Flag(at, "transposeA"),
                AxisAttributes.Shape(at, "b"), MatMulOperation.Flag(at, "transposeB")),
        };
    }

    // The last two axes swapped: each matrix transposed.
    private static string Swapped(IOnnxWriter onnx, string x, int rank) =>
        onnx.Add("Transpose", [x], ("perm", (long[])[.. Enumerable.Range(0, rank - 2).Select(k => (long)k), rank - 1, rank - 2]));

    /// <inheritdoc />
    public override string Name => "BatchedMatMul";

    /// <inheritdoc />
    public override int Precedence => FormattedOperand.Multiplicative;

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => new Dictionary<string, double>(
        AxisAttributes.Of(a, "a").Concat(AxisAttributes.Of(b, "b")))
    { ["transposeA"] = transposeA ? 1 : 0, ["transposeB"] = transposeB ? 1 : 0 };

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        if (inputs[0].Shape != a || inputs[1].Shape != b)
            throw ShapeMismatchException.For(Name, inputs, $"this product was built for {a} and {b}");
        string left = Oriented(inputs[0], transposeA), right = Oriented(inputs[1], transposeB);
        int[] la = a.Dimensions[..^2], lb = b.Dimensions[..^2];
        if (la.Length > 0 && lb.Length > 0 && !la.SequenceEqual(lb))
        {
            int axis = Enumerable.Range(0, Math.Min(la.Length, lb.Length)).FirstOrDefault(k => la[k] != lb[k]);
            string which = la.Length != lb.Length ? $"{left} has {la.Length} leading axes and {right} {lb.Length}"
                : $"leading axis {axis} is {la[axis]} in {left} and {lb[axis]} in {right}";
            throw Mismatch(inputs, $"{which}; the leading axes (the batch of matrices) must be equal, or one operand a plain matrix (rank 2) used for every matrix of the other");
        }
        foreach (var (s, name) in new[] { (a, left), (b, right) })
            if (s.Dimensions[..^1].Contains(Shape.Batch))
                throw Mismatch(inputs, $"only the last axis of {name} may be the batch dimension m");
        if (transposeA && a.Columns == Shape.Batch)
            throw Mismatch(inputs, $"{left} would put the batch dimension m in the rows of the product; it may only be its last axis");
        int n = transposeA ? a[-1] : a[-2], ka = transposeA ? a[-2] : a[-1];
        int kb = transposeB ? b[-1] : b[-2], p = transposeB ? b[-2] : b[-1];
        if (ka != kb)
            throw Mismatch(inputs, $"the inner dimensions {Shape.FormatDimension(ka)} (matrix columns of {left}) and {Shape.FormatDimension(kb)} " +
                $"(matrix rows of {right}) must be equal: each matrix of {right} would fit as {new Shape(ka, p)}, or each of {left} as {new Shape(n, kb)}" +
                (a.Rank == 2 && !transposeA && !transposeB && b.Rows == ka ? $"; to multiply each example of {inputs[1].Label} as one column, flatten it first: Op.Flatten({inputs[1].Label}) is {new Shape(b.Rows, b.Columns)}" : ""));
        return Shape.Of([.. la.Length > 0 ? la : lb, n, p]);
    }

    private ShapeMismatchException Mismatch(IReadOnlyList<Node> inputs, string hint) => ShapeMismatchException.For("MatMul", inputs, hint);

    private static string Oriented(Node x, bool transpose) => transpose ? x.Label + "ᵀ" : x.Label;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        Tensor x = inputs[0], y = inputs[1];
        // A batch of left matrices times one plain right matrix is one GEMM over the stacked rows.
        if (b.Rank == 2 && !transposeA)
        {
            TensorMath.MatrixMultiply(x, y, result, false, transposeB);
            return;
        }
        int ra = a[-2], rb = b[-2], rc = transposeA ? a[-1] : a[-2];
        int count = result.Rows / Math.Max(rc, 1);
        for (int i = 0; i < count; i++)
            TensorMath.MatrixMultiply(a.Rank == 2 ? x : View(x, i, ra), b.Rank == 2 ? y : View(y, i, rb), View(result, i, rc), transposeA, transposeB);
    }

    // Matrix i of a stacked value: its storage rows i·rows … i·rows + rows − 1 (an empty batch, m = 0, may have no storage at all).
    private static Tensor View(Tensor t, int i, int rows) => new(t.Array, t.Columns == 0 ? t.Offset : t.Offset + i * rows, rows, t.Columns, t.Stride);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        Node x = node.Inputs[0], y = node.Inputs[1], g = upstream;
        var da = transposeA ? Op.MatMul(y, transposeB, g, true) : Op.MatMul(g, false, y, !transposeB);
        var db = transposeB ? Op.MatMul(g, true, x, transposeA) : Op.MatMul(x, !transposeA, g, false);
        return [SummedTo(da, a), SummedTo(db, b)];
    }

    // A plain matrix operand's gradient: the per-matrix gradients summed over the leading axes.
    private static Node SummedTo(Node gradient, Shape operand) => gradient.Shape.Rank == operand.Rank ? gradient
        : Op.Sum(gradient, [.. Enumerable.Range(0, gradient.Shape.Rank - 2)], keepAxes: false);

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => MatMulOperation.For(transposeA, transposeB).Format(operands);
}
