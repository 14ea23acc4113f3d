using System.Globalization;
using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// The elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> − 1 along
    /// <paramref name="axis"/> of <paramref name="x"/> (negative axes count from the end), every other axis whole:
    /// numpy's <c>x[..., start:start+length, ...]</c>. The batch axis m is not sliced (examples are fed whole).
    /// </summary>
    public static Node Slice(Node x, int axis, int start, int length, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        int k = AxisArguments.One("Slice", x, axis);
        int size = x.Shape[k];
        if (size == Shape.Batch)
            throw new ArgumentException($"Slice({x.Label}): axis {axis} of {x.Shape} is the batch axis m, which is not sliced; slice the data you feed instead.", nameof(axis));
        if (start < 0 || length < 1 || (long)start + length > size)
            throw new ArgumentOutOfRangeException(nameof(length), $"Slice({x.Label}): elements {start} to {(long)start + length - 1} of axis {axis} of {x.Shape} do not exist; it has elements 0 to {size - 1}, and a slice at least one.");
        int[] starts = new int[x.Shape.Rank], inner = x.Shape.Dimensions;
        starts[k] = start;
        inner[k] = length;
        return Unary(new BoxOperation(x.Shape, starts, Shape.Of(inner), pad: false), x, file, line);
    }

    /// <summary>
    /// <paramref name="x"/> surrounded by zeros: <c>before[a]</c> zeros before and <c>after[a]</c> after it along
    /// each axis a (numpy's <c>np.pad(x, list(zip(before, after)))</c>), e.g. <c>Pad(A, [1, 1, 0, 0], [1, 1, 0, 0])</c>
    /// pads images (n_H, n_W, n_C, m) by one pixel. The batch axis m is not padded.
    /// </summary>
    public static Node Pad(Node x, int[] before, int[] after, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        int[] dims = x.Shape.Dimensions;
        if (before.Length != dims.Length || after.Length != dims.Length || before.Concat(after).Any(p => p < 0))
            throw new ArgumentException($"Pad({x.Label}): give {dims.Length} paddings of 0 or more before and after, one per axis of {x.Shape}; got {AxisArguments.Format(before)} and {AxisArguments.Format(after)}.", nameof(before));
        if (Enumerable.Range(0, dims.Length).FirstOrDefault(a => dims[a] == Shape.Batch && before[a] + after[a] > 0, -1) is var b and >= 0)
            throw new ArgumentException($"Pad({x.Label}): axis {b} of {x.Shape} is the batch axis m, which is not padded.", nameof(before));
        long[] outer = [.. dims.Select((d, a) => d == Shape.Batch ? d : (long)d + before[a] + after[a])];
        if (outer.Any(d => d > int.MaxValue))
            throw new ArgumentOutOfRangeException(nameof(after), $"Pad({x.Label}): padding {x.Shape} gives an axis longer than {int.MaxValue}.");
        return Unary(new BoxOperation(Shape.Of([.. outer.Select(d => (int)d)]), before, x.Shape, pad: true), x, file, line);
    }
}

/// <summary>
/// A box inside a larger value: the slice of the outer value (Slice), or the inner value surrounded by zeros
/// (Pad). Each is the other's adjoint, so ∂J/∂x of a slice is ∂J/∂y padded back, and of a pad, ∂J/∂y sliced.
/// </summary>
internal sealed class BoxOperation : Operation
{
    internal static readonly BoxOperation[] Examples =
    [
        new(Shape.Of(3, 4, 2), [1, 0, 0], Shape.Of(2, 4, 2), pad: false),
        new(Shape.Of(4, 5, 1, 2), [1, 2, 0, 0], Shape.Of(2, 2, 1, 2), pad: true),
        new(new Shape(4, 5), [0, 2], new Shape(4, 1), pad: false),
    ];

    private readonly Shape outer, inner;
    private readonly int[] starts;
    private readonly bool pad;

    internal BoxOperation(Shape outer, int[] starts, Shape inner, bool pad)
    {
        this.outer = outer;
        this.starts = starts;
        this.inner = inner;
        this.pad = pad;
        KeepsFinite = true;
        long[] begins = [.. starts.Select(s => (long)s)];
        Info = new()
        {
            Domain = OperationInfo.Anywhere, SampleShapes = [pad ? inner : outer], Code = "",
            Onnx = AxisArguments.OnnxForMatrices(outer, pad
                ? (onnx, _, x) => onnx.Add("Pad", [x[0], onnx.Int64s([.. begins, .. Enumerable.Range(0, outer.Rank).Select(a => (long)outer[a] - inner[a] - starts[a])])])
                : (onnx, _, x) => onnx.Add("Slice", [x[0], onnx.Int64s(begins), onnx.Int64s([.. Enumerable.Range(0, outer.Rank).Select(a => (long)starts[a] + inner[a])]), onnx.Int64s([.. Enumerable.Range(0, outer.Rank).Select(a => (long)a)])])),
            Rebuild = a => Rebuild(a, pad),
        };
    }

    private static BoxOperation Rebuild(IReadOnlyDictionary<string, double> attributes, bool pad)
    {
        Shape outer = AxisAttributes.Shape(attributes, "outer"), inner = AxisAttributes.Shape(attributes, "inner");
        int[] starts = [.. Enumerable.Range(0, outer.Rank).Select(a => (int)OperationInfo.Required(attributes, "start" + a.ToString(CultureInfo.InvariantCulture)))];
        bool fits = inner.Rank == outer.Rank && Enumerable.Range(0, outer.Rank).All(a => outer[a] == Shape.Batch
            ? inner[a] == Shape.Batch && starts[a] == 0
            : inner[a] != Shape.Batch && starts[a] >= 0 && (long)starts[a] + inner[a] <= outer[a]);
        return fits ? new BoxOperation(outer, starts, inner, pad)
            : throw new ArgumentOutOfRangeException(nameof(attributes), $"the box {inner} starting at {AxisArguments.Format(starts)} does not fit in {outer}");
    }

    /// <inheritdoc />
    public override string Name => pad ? "Pad" : "Slice";

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes
    {
        get
        {
            var attributes = new Dictionary<string, double>(AxisAttributes.Of(outer, "outer"));
            foreach (var (key, value) in AxisAttributes.Of(inner, "inner")) attributes[key] = value;
            for (int a = 0; a < starts.Length; a++) attributes["start" + a.ToString(CultureInfo.InvariantCulture)] = starts[a];
            return attributes;
        }
    }

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape == (pad ? inner : outer) ? (pad ? outer : inner)
        : throw ShapeMismatchException.For(Name, inputs, $"this {Name.ToLowerInvariant()} was built for {(pad ? inner : outer)}");

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        int m = Strided.BatchOf(pad ? inner : outer, inputs[0]);
        int[] dims = Strided.Resolve(inner, m);
        long[] outerStrides = Strided.Strides(Strided.Resolve(outer, m)), innerStrides = Strided.Strides(dims);
        long corner = starts.Select((s, a) => s * outerStrides[a]).Sum();
        var run = new Strided.Copy(inputs[0].Span, result.Span);
        if (pad)
        {
            result.Span.Clear();
            Strided.Walk(Strided.StorageOrder(dims.Length), dims, innerStrides, outerStrides, 0, corner, ref run);
        }
        else Strided.Walk(Strided.StorageOrder(dims.Length), dims, outerStrides, innerStrides, corner, 0, ref run);
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [Node.Apply(new BoxOperation(outer, starts, inner, !pad), [upstream])];

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands)
    {
        int[] dims = inner.Dimensions, all = outer.Dimensions;
        if (pad) return $"Pad({operands[0].Text}, {AxisArguments.Format(starts)}, {AxisArguments.Format(all.Select((d, a) => d == Shape.Batch ? 0 : d - dims[a] - starts[a]))})";
        var ranges = Enumerable.Range(0, all.Length).Select(a => dims[a] == all[a] ? ":" : $"{starts[a]}:{starts[a] + dims[a]}");
        return $"Slice({operands[0].Text}, [{string.Join(", ", ranges)}])";
    }
}
