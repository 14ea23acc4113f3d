using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// Softmax along <paramref name="axis"/> of <paramref name="x"/>, of any rank (negative counts from the end):
    /// each line of x along that axis becomes a distribution, e^(x − max) / Σ e^(x − max), stable for any finite x.
    /// On a matrix, axis 0 is <see cref="Softmax(Node, string, int)"/> (each column, the course's classes).
    /// </summary>
    public static Node Softmax(Node x, int axis, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        SoftmaxAlong(x, axis, log: false, file, line);

    /// <summary>log(softmax) along <paramref name="axis"/> of <paramref name="x"/>, of any rank: x − max − log Σ e^(x − max), finite where softmax underflows.</summary>
    public static Node LogSoftmax(Node x, int axis, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        SoftmaxAlong(x, axis, log: true, file, line);

    private static Node SoftmaxAlong(Node x, int axis, bool log, string file, int line)
    {
        int k = AxisArguments.One(log ? "LogSoftmax" : "Softmax", x, axis);
        if (x.Shape.Rank == 2 && k == 0) return Unary(log ? SoftmaxOperation.Log : SoftmaxOperation.Plain, x, file, line);
        return Unary(new SoftmaxAxisOperation(x.Shape, k, log), x, file, line);
    }
}

/// <summary>
/// Softmax (or its logarithm) along one axis of a value of any rank, each line shifted by its maximum first.
/// s = softmax: ∂J/∂x = s ∘ (g − Σ_axis g ∘ s); ℓ = log softmax: ∂J/∂x = g − e^ℓ ∘ Σ_axis g.
/// </summary>
internal sealed class SoftmaxAxisOperation : Operation
{
    internal static readonly SoftmaxAxisOperation[] Examples =
        [new(Shape.Of(2, 3, 4), 1, log: false), new(Shape.Of(2, 3, 4), 2, log: true), new(new Shape(3, 4), 1, log: false), new(Shape.Of(3, 1, 2), 0, log: true)];

    private readonly Shape shape;
    private readonly int axis;
    private readonly bool log;

    internal SoftmaxAxisOperation(Shape shape, int axis, bool log)
    {
        this.shape = shape;
        this.axis = axis;
        this.log = log;
        KeepsFinite = !log;
        Info = new()
        {
            Domain = OperationInfo.Anywhere, SampleShapes = [shape], Code = "",
            Onnx = AxisArguments.OnnxForMatrices(shape, OperationInfo.OnnxAs(log ? "LogSoftmax" : "Softmax", ("axis", (long)axis))),
            Rebuild = a =>
            {
                var s = AxisAttributes.Shape(a);
                double k = OperationInfo.Required(a, "axis");
                return k >= 0 && k < s.Rank && k == Math.Floor(k) ? new SoftmaxAxisOperation(s, (int)k, log)
                    : throw new ArgumentOutOfRangeException(nameof(a), $"the attribute 'axis' must be an axis of {s}, got {k}");
            },
        };
    }

    /// <inheritdoc />
    public override string Name => log ? "LogSoftmaxAxis" : "SoftmaxAxis";

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => new Dictionary<string, double>(AxisAttributes.Of(shape)) { ["axis"] = axis };

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape == shape ? shape
        : throw ShapeMismatchException.For(Name, inputs, $"this softmax was built for {shape}");

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        int[] dims = Strided.Resolve(shape, Strided.BatchOf(shape, inputs[0]));
        long[] strides = Strided.Strides(dims);
        // Every line along the axis as one run: the other axes outside, in storage order, the axis innermost.
        int[] order = [.. Strided.StorageOrder(dims.Length).Where(a => a != axis), axis];
        var run = new Line(inputs[0].Span, result.Span, log);
        Strided.Walk(order, dims, strides, strides, 0, 0, ref run);
    }

    private ref struct Line(ReadOnlySpan<double> x, Span<double> y, bool log) : IStridedRun
    {
        private readonly ReadOnlySpan<double> x = x;
        private readonly Span<double> y = y;

        public readonly void Run(long a, long b, int n, long step, long stepB)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int t = 0; t < n; t++) max = Math.Max(max, x[(int)(a + t * step)]);
            for (int t = 0; t < n; t++)
            {
                int i = (int)(a + t * step);
                y[i] = x[i] - max;
                sum += Math.Exp(y[i]);
            }
            double logSum = Math.Log(sum);
            for (int t = 0; t < n; t++)
            {
                int i = (int)(a + t * step);
                y[i] = log ? y[i] - logSum : Math.Exp(y[i]) / sum;
            }
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => log
        ? [Op.Subtract(upstream, Op.Multiply(Op.Exp(node), Op.Sum(upstream, [axis])))]
        : [Op.Multiply(node, Op.Subtract(upstream, Op.Sum(Op.Multiply(upstream, node), [axis])))];

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"{(log ? "LogSoftmax" : "Softmax")}({operands[0].Text}, axis: {axis})";
}
