using System.Globalization;
using GraphDiff.Tensors;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// The <paramref name="parts"/> joined along <paramref name="axis"/> (negative counts from the end): numpy's
    /// <c>np.concatenate(parts, axis)</c>. Every part has the same rank and the same sizes but along that axis; the
    /// batch axis m is not joined along (examples are fed together). E.g. <c>Concat(2, A, B)</c> stacks the
    /// channels of two (n_H, n_W, n_C, m) images.
    /// </summary>
    public static Node Concat(int axis, params Node[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0 || parts.Any(p => p is null))
            throw new ArgumentException("Concat: give at least one part, and no null part.", nameof(parts));
        int k = AxisArguments.One("Concat", parts[0], axis);
        var first = parts[0].Shape;
        foreach (var part in parts)
        {
            var s = part.Shape;
            int differs = s.Rank != first.Rank ? -1 : Enumerable.Range(0, s.Rank).FirstOrDefault(a => a != k && s[a] != first[a], -2);
            if (differs != -2)
                throw ShapeMismatchException.For("Concat", [parts[0], part], differs == -1
                    ? $"every part must have the rank of {parts[0].Label}, {first.Rank}"
                    : $"every part must have the sizes of {parts[0].Label} but along axis {k}, and axis {differs} differs");
            if (s[k] == Shape.Batch)
                throw ShapeMismatchException.For("Concat", [part], $"axis {k} is the batch axis m, which parts are not joined along; feed the examples together instead");
        }
        if (parts.Sum(p => (long)p.Shape[k]) > int.MaxValue)
            throw ShapeMismatchException.For("Concat", parts, $"joined along axis {k}, the parts are longer than {int.MaxValue}");
        // params leaves no room for the caller-line parameters: the stack gives the line, as the C# operators do.
        return Node.Apply(new ConcatOperation([.. parts.Select(p => p.Shape)], k), parts, SourceLocation.FromStack());
    }
}

/// <summary>y = the parts side by side along one axis: strided copies. ∂J/∂part is the slice of ∂J/∂y where that part lies.</summary>
internal sealed class ConcatOperation : Operation
{
    internal static readonly ConcatOperation[] Examples =
        [new([Shape.Of(2, 3, 2), Shape.Of(2, 1, 2)], 1), new([new Shape(2, 3), new Shape(2, 2), new Shape(2, 1)], 1), new([Shape.Of(1, 2, 2), Shape.Of(2, 2, 2)], 0)];

    private readonly Shape[] parts;
    private readonly int axis;
    private readonly Shape result;

    internal ConcatOperation(Shape[] parts, int axis)
    {
        this.parts = parts;
        this.axis = axis;
        int[] dims = parts[0].Dimensions;
        dims[axis] = parts.Sum(p => p[axis]);
        result = Shape.Of(dims);
        KeepsFinite = true;
        Info = new()
        {
            Domain = OperationInfo.Anywhere, SampleShapes = parts, Code = "",
            Onnx = AxisArguments.OnnxForMatrices(parts[0], OperationInfo.OnnxAs("Concat", ("axis", (long)axis))),
            Rebuild = Rebuild,
        };
    }

    private static ConcatOperation Rebuild(IReadOnlyDictionary<string, double> attributes)
    {
        double count = OperationInfo.Required(attributes, "parts"), axis = OperationInfo.Required(attributes, "axis");
        if (count is < 1 or > 4096 || count != Math.Floor(count))
            throw new ArgumentOutOfRangeException(nameof(attributes), $"the attribute 'parts' must be a count from 1 to 4096, got {count}");
        Shape[] shapes = [.. Enumerable.Range(0, (int)count).Select(p => AxisAttributes.Shape(attributes, "p" + p.ToString(CultureInfo.InvariantCulture)))];
        bool fits = axis >= 0 && axis < shapes[0].Rank && axis == Math.Floor(axis) && shapes.All(s => s.Rank == shapes[0].Rank
            && Enumerable.Range(0, s.Rank).All(a => a == (int)axis ? s[a] != Shape.Batch : s[a] == shapes[0][a]));
        return fits ? new ConcatOperation(shapes, (int)axis)
            : throw new ArgumentOutOfRangeException(nameof(attributes), $"parts {string.Join(", ", shapes)} do not join along axis {axis}");
    }

    /// <inheritdoc />
    public override string Name => "Concat";

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes
    {
        get
        {
            var attributes = new Dictionary<string, double> { ["parts"] = parts.Length, ["axis"] = axis };
            for (int p = 0; p < parts.Length; p++)
                foreach (var (key, value) in AxisAttributes.Of(parts[p], "p" + p.ToString(CultureInfo.InvariantCulture))) attributes[key] = value;
            return attributes;
        }
    }

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs.Select(i => i.Shape).SequenceEqual(parts) ? result
        : throw ShapeMismatchException.For(Name, inputs, $"this concatenation was built for {string.Join(", ", parts)}");

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        int m = Strided.BatchOf(result, output);
        long[] to = Strided.Strides(Strided.Resolve(result, m));
        long offset = 0;
        for (int p = 0; p < parts.Length; p++)
        {
            int[] dims = Strided.Resolve(parts[p], m);
            var run = new Strided.Copy(inputs[p].Span, output.Span);
            Strided.Walk(Strided.StorageOrder(dims.Length), dims, Strided.Strides(dims), to, 0, offset * to[axis], ref run);
            offset += dims[axis];
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        var gradients = new Node?[parts.Length];
        int offset = 0;
        for (int p = 0; p < parts.Length; p++)
        {
            var starts = new int[result.Rank];
            starts[axis] = offset;
            gradients[p] = Node.Apply(new BoxOperation(result, starts, parts[p], pad: false), [upstream]);
            offset += parts[p][axis];
        }
        return gradients;
    }

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"Concat(axis: {axis}, {string.Join(", ", operands.Select(o => o.Text))})";
}
