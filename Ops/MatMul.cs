using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// The matrix product a·b (the course's <c>np.dot(W, A)</c>). Built as written: a <see cref="Transpose(Node, string, int)"/>
    /// operand stays a node here, and the compiler's <c>TransposeIntoProduct</c> rule folds it into the product's
    /// flags, so the plan of <c>MatMul(Transpose(W), dZ)</c> reads W in place.
    /// </summary>
    public static Node MatMul(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        MatMul(a, false, b, false, file, line);

    /// <summary>
    /// op(a)·op(b) where op transposes when asked: the products backward needs, dW = dZ·Aᵀ and dA = Wᵀ·dZ.
    /// When an operand has rank ≥ 3 the product is numpy's matmul batched over the leading axes: the last two axes
    /// are the matrices (op transposes those two), (…, n, k)·(…, k, p) → (…, n, p); the leading axes of both must be
    /// equal, or one operand is a plain matrix used for every matrix of the other. Only a last axis may be the batch
    /// dimension m: p (the right operand's columns), or k of both operands.
    /// </summary>
    public static Node MatMul(Node a, bool transposeA, Node b, bool transposeB,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Shape.Rank > 2 || b.Shape.Rank > 2)
            return Node.Apply(new BatchedMatMulOperation(a.Shape, transposeA, b.Shape, transposeB), [a, b], At(file, line));
        return Node.Apply(MatMulOperation.For(transposeA, transposeB), [a, b], At(file, line));
    }
}

/// <summary>
/// C = op(A)·op(B). With G = ∂J/∂C: ∂J/∂op(A) = G·op(B)ᵀ and ∂J/∂op(B) = op(A)ᵀ·G; the transposes are flags of
/// new MatMul nodes, never copies. Every product goes through <see cref="TensorMath.MatrixMultiply(Tensor, Tensor, Tensor, bool, bool, double, double)"/>.
/// </summary>
internal sealed class MatMulOperation : Operation
{
    private static readonly MatMulOperation[] Variants = [new(false, false), new(false, true), new(true, false), new(true, true)];

    private MatMulOperation(bool transposeA, bool transposeB)
    {
        TransposeA = transposeA;
        TransposeB = transposeB;
        Info = new()
        {
            Domain = OperationInfo.Anywhere,
            Onnx = (onnx, _, x) => onnx.Add("MatMul", [transposeA ? Transposed(onnx, x[0]) : x[0], transposeB ? Transposed(onnx, x[1]) : x[1]]),
            Code = $"Bp.Dot({{0}}, {(transposeA ? "true" : "false")}, {{1}}, {(transposeB ? "true" : "false")})",
            Rebuild = a => For(Flag(a, "transposeA"), Flag(a, "transposeB")),
        };
    }

    /// <summary>xᵀ in ONNX.</summary>
    internal static string Transposed(IOnnxWriter onnx, string x) => onnx.Add("Transpose", [x], ("perm", new long[] { 1, 0 }));

    internal static bool Flag(IReadOnlyDictionary<string, double> attributes, string key) => OperationInfo.Required(attributes, key) switch
    {
        0 => false,
        1 => true,
        var v => throw new ArgumentOutOfRangeException(key, $"the attribute '{key}' must be 0 or 1, got {v}"),
    };

    internal static MatMulOperation For(bool transposeA, bool transposeB) => Variants[(transposeA ? 2 : 0) + (transposeB ? 1 : 0)];

    /// <summary>Whether the left operand is used transposed.</summary>
    public bool TransposeA { get; }
    /// <summary>Whether the right operand is used transposed.</summary>
    public bool TransposeB { get; }
    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => new Dictionary<string, double> { ["transposeA"] = TransposeA ? 1 : 0, ["transposeB"] = TransposeB ? 1 : 0 };
    /// <inheritdoc />
    public override string Name => "MatMul";
    /// <inheritdoc />
    public override int Precedence => FormattedOperand.Multiplicative;

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        Shape a = Oriented(inputs[0].Shape, TransposeA), b = Oriented(inputs[1].Shape, TransposeB);
        if (a.Columns == b.Rows) return new Shape(a.Rows, b.Columns);
        string left = Oriented(NodeFormatter.Operand(inputs[0]), TransposeA), right = Oriented(NodeFormatter.Operand(inputs[1]), TransposeB);
        throw new ShapeMismatchException(
            $"MatMul({left}, {right}): {left} is {a} ({inputs[0].Location}) and {right} is {b} ({inputs[1].Location}); " +
            $"the inner dimensions {Shape.FormatDimension(a.Columns)} and {Shape.FormatDimension(b.Rows)} must be equal: " +
            $"{right} would fit as {new Shape(a.Columns, b.Columns)}, or {left} as {new Shape(a.Rows, b.Rows)}{Transposed(a, b, NodeFormatter.Operand(inputs[0]).Text, NodeFormatter.Operand(inputs[1]).Text)} " +
            $"(W[l] is (n[l], n[l-1]) and multiplies A[l-1] of (n[l-1], m) from the left)");
    }

    private static Shape Oriented(Shape s, bool transpose) => transpose ? new Shape(s.Columns, s.Rows) : s;

    /// <summary>The transposes that would fit, as the call that asks for them (a learner's A·B meant as A·Bᵀ, the commonest slip).</summary>
    private string Transposed(Shape a, Shape b, string left, string right)
    {
        var fits = new List<string>();
        if (a.Columns == b.Columns) fits.Add($"{right} transposed fits: Op.MatMul({left}, {Flag(TransposeA)}, {right}, {Flag(!TransposeB)})");
        if (a.Rows == b.Rows) fits.Add($"{left} transposed fits: Op.MatMul({left}, {Flag(!TransposeA)}, {right}, {Flag(TransposeB)})");
        return fits.Count == 0 ? "" : "; " + string.Join("; ", fits);
        static string Flag(bool value) => value ? "true" : "false";
    }

    private static string Oriented(FormattedOperand operand, bool transpose) => transpose ? operand.Within(FormattedOperand.Atom) + "ᵀ" : operand.Text;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => ForwardScaled(1.0, inputs, result);

    /// <inheritdoc />
    public override bool ScalesForFree => true;

    /// <inheritdoc />
    public override void ForwardScaled(double alpha, ReadOnlySpan<Tensor> inputs, Tensor result) =>
        TensorMath.MatrixMultiply(inputs[0], inputs[1], result, TransposeA, TransposeB, alpha);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<GraphDiff.Tensors.Tensor<float>> inputs, GraphDiff.Tensors.Tensor<float> result) =>
        ForwardScaled(1f, inputs, result);

    /// <inheritdoc />
    public override void ForwardScaled(float alpha, ReadOnlySpan<GraphDiff.Tensors.Tensor<float>> inputs, GraphDiff.Tensors.Tensor<float> result) =>
        TensorMath.MatrixMultiply(inputs[0], inputs[1], result, TransposeA, TransposeB, alpha);

    /// <inheritdoc />
    public override bool HasWriteBack => true;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result, Action<int, int, int> columnsFinished) =>
        TensorMath.MatrixMultiply(inputs[0], inputs[1], result, TransposeA, TransposeB, 1.0, columnsFinished);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<GraphDiff.Tensors.Tensor<float>> inputs, GraphDiff.Tensors.Tensor<float> result, Action<int, int, int> columnsFinished) =>
        TensorMath.MatrixMultiply(inputs[0], inputs[1], result, TransposeA, TransposeB, 1f, columnsFinished);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        Node a = node.Inputs[0], b = node.Inputs[1], g = upstream;
        var da = TransposeA ? Op.MatMul(b, TransposeB, g, true) : Op.MatMul(g, false, b, !TransposeB);
        var db = TransposeB ? Op.MatMul(g, true, a, TransposeA) : Op.MatMul(a, !TransposeA, g, false);
        return [da, db];
    }

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands)
    {
        // Operands other than names, calls and postfix forms get parentheses: "(a * b)·Xᵀ" never reads as "a * (b·Xᵀ)".
        string left = TransposeA ? operands[0].Within(FormattedOperand.Atom) + "ᵀ" : operands[0].Within(FormattedOperand.Postfix);
        string right = TransposeB ? operands[1].Within(FormattedOperand.Atom) + "ᵀ" : operands[1].Within(FormattedOperand.Postfix);
        return $"{left}·{right}";
    }
}
