using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// The sum over <paramref name="axes"/> of <paramref name="x"/>, of any rank (negative axes count from the end),
    /// keeping them as size 1 (numpy's <c>keepdims=True</c>) or dropping them (a result of rank below 2 gets leading
    /// 1s). E.g. <c>Sum(Z, [0, 1, 3])</c> of (n_H, n_W, n_C, m) is (1, 1, n_C, 1). Over an empty batch, 0.
    /// </summary>
    public static Node Sum(Node x, int[] axes, bool keepAxes = true, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Reduce(ReduceOperation.Kind.Sum, x, axes, keepAxes, file, line);

    /// <summary>
    /// The mean over <paramref name="axes"/> of <paramref name="x"/>, of any rank, as <see cref="Sum(Node, int[], bool, string, int)"/>
    /// keeps or drops them. Over the batch axis of an empty batch (m = 0) it is undefined: evaluation refuses it, saying the data is empty.
    /// </summary>
    public static Node Mean(Node x, int[] axes, bool keepAxes = true, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Reduce(ReduceOperation.Kind.Mean, x, axes, keepAxes, file, line);

    /// <summary>
    /// The maximum over <paramref name="axes"/> of <paramref name="x"/>, of any rank, keeping or dropping them. Its
    /// gradient goes to the first maximum (in row-major order of x's axes); ties are kinks. Over the batch axis of an
    /// empty batch (m = 0) it is undefined: evaluation refuses it, saying the data is empty.
    /// </summary>
    public static Node Max(Node x, int[] axes, bool keepAxes = true, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Reduce(ReduceOperation.Kind.Max, x, axes, keepAxes, file, line);

    private static Node Reduce(ReduceOperation.Kind kind, Node x, int[] axes, bool keepAxes, string file, int line)
    {
        int[] k = AxisArguments.Many(kind.ToString(), x, axes);
        if (x.Shape.Rank == 2 && keepAxes && kind != ReduceOperation.Kind.Max)
        {
            int? axis = k.Length == 2 ? null : k[0];   // the course's matrix reductions, as before
            return kind == ReduceOperation.Kind.Sum ? Sum(x, axis, file, line) : Mean(x, axis, file, line);
        }
        return Unary(new ReduceOperation(kind, AxisMap.Reducing(x.Shape, k, keepAxes)), x, file, line);
    }
}

/// <summary>
/// y = the sum, mean or maximum of x over some axes (an <see cref="AxisMap"/> from x to y). ∂J/∂x is ∂J/∂y
/// broadcast back (divided by the count for the mean); for the maximum, only at each group's first maximum.
/// </summary>
internal sealed class ReduceOperation : Operation
{
    internal enum Kind { Sum, Mean, Max }

    internal static readonly ReduceOperation[] Examples =
    [
        new(Kind.Sum, AxisMap.Reducing(Shape.Of(2, 3, 4), [0, 2], keep: true)),
        new(Kind.Sum, AxisMap.Reducing(Shape.Of(2, 3, 4), [1], keep: false)),
        new(Kind.Mean, AxisMap.Reducing(Shape.Of(2, 1, 3, 2), [0, 3], keep: false)),
        new(Kind.Max, AxisMap.Reducing(Shape.Of(3, 2, 4), [0, 2], keep: true)),
    ];

    private readonly Kind kind;
    private readonly AxisMap map;

    internal ReduceOperation(Kind kind, AxisMap map)
    {
        this.kind = kind;
        this.map = map;
        Info = new()
        {
            Domain = OperationInfo.Anywhere, SampleShapes = [map.X], Code = "",
            Onnx = kind == Kind.Sum ? AxisArguments.OnnxForMatrices(map.X, OnnxSum(map)) : OperationInfo.NoOnnx,
            Rebuild = a => new ReduceOperation(kind, AxisMap.FromAttributes(a)),
        };
    }

    // ONNX's ReduceSum keeps the axes or drops them; a result padded with leading 1s has no single operator.
    private static OnnxLowering OnnxSum(AxisMap map)
    {
        long[] axes = [.. map.Reduced.Select(a => (long)a)];
        bool keep = map.Y.Rank == map.X.Rank;
        if (!keep && map.Y.Rank != map.X.Rank - axes.Length) return OperationInfo.NoOnnx;
        return (onnx, _, x) => axes.Length == 0 ? onnx.Add("Identity", [x[0]])
            : onnx.Add("ReduceSum", [x[0], onnx.Int64s(axes)], ("keepdims", keep ? 1L : 0L));
    }

    /// <inheritdoc />
    public override string Name => "Reduce" + kind;

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => map.Attributes();

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape == map.X ? map.Y
        : throw ShapeMismatchException.For(Name, inputs, $"this reduction was built for {map.X}");

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        map.Reduce(inputs[0], result, max: kind == Kind.Max);
        // Over no elements (an empty batch) the mean is 0/0: NaN, which evaluation refuses as empty data.
        if (kind == Kind.Mean) TensorPrimitives.Divide(result.Span, (double)map.Count(Strided.BatchOf(map.X, inputs[0])), result.Span);
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        var x = node.Inputs[0];
        var back = BroadcastAxesOperation.Apply(map, kind == Kind.Mean, upstream, x);
        return [kind == Kind.Max ? Op.Multiply(Node.Apply(new FirstMaxMaskOperation(map), [x]), back) : back];
    }

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        $"{kind}({operands[0].Text}, axes: {AxisArguments.Format(map.Reduced)}{(map.Y.Rank == map.X.Rank ? "" : ", keepAxes: false")})";
}
