using System.Buffers;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// 1 at the first maximum (in row-major order of x's axes) of each group an <see cref="AxisMap"/> reduces, 0
/// elsewhere: where a maximum's gradient goes. Piecewise constant, so no gradient flows through it.
/// </summary>
internal sealed class FirstMaxMaskOperation : Operation
{
    internal static readonly FirstMaxMaskOperation[] Examples = [new(AxisMap.Reducing(Shape.Of(3, 2, 4), [0, 2], keep: true))];

    private readonly AxisMap map;

    internal FirstMaxMaskOperation(AxisMap map)
    {
        this.map = map;
        KeepsFinite = true;
        Info = new()
        {
            Domain = OperationInfo.Anywhere, SampleShapes = [map.X], Code = "", Onnx = OperationInfo.NoOnnx,
            Rebuild = a => new FirstMaxMaskOperation(AxisMap.FromAttributes(a)),
        };
    }

    /// <inheritdoc />
    public override string Name => "FirstMaxMask";

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => map.Attributes();

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape == map.X ? map.X
        : throw ShapeMismatchException.For(Name, inputs, $"this mask was built for {map.X}");

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        var x = inputs[0];
        int m = Strided.BatchOf(map.X, x);
        int[] dy = Strided.Resolve(map.Y, m);
        int count = (int)dy.Aggregate(1L, (n, d) => n * d);
        var buffer = ScratchPool<double>.Shared.Rent(Math.Max(count, 1));
        try
        {
            var max = new Tensor(buffer, 0, count == 0 ? 0 : count, 1, Math.Max(count, 1));
            map.Reduce(x, max, max: true);
            var (sx, sy) = map.Strides(m);
            var run = new Mark(x.Span, result.Span, buffer.AsSpan(0, count));
            Strided.Walk(Strided.LogicalOrder(map.X.Rank), Strided.Resolve(map.X, m), sx, sy, 0, 0, ref run);
        }
        finally { ScratchPool<double>.Shared.Return(buffer); }
    }

    // Marks an element equal to its group's maximum, then spends the maximum (NaN) so later ties stay 0.
    private ref struct Mark(ReadOnlySpan<double> x, Span<double> mask, Span<double> max) : IStridedRun
    {
        private readonly ReadOnlySpan<double> x = x;
        private readonly Span<double> mask = mask, max = max;

        public readonly void Run(long a, long b, int n, long stepA, long stepB)
        {
            for (int t = 0; t < n; t++, a += stepA, b += stepB)
            {
                bool first = x[(int)a] == max[(int)b];
                mask[(int)a] = first ? 1 : 0;
                if (first) max[(int)b] = double.NaN;
            }
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [null];

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"FirstMaxMask({operands[0].Text}, axes: {AxisArguments.Format(map.Reduced)})";
}
