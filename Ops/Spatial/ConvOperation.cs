namespace GraphDiff;

/// <summary>
/// What the convolution and its gradient operations share: the geometry they captured when built, saved as their
/// attributes; operands of any rank; the shape checks against that geometry; printing as <c>Name(a, b, stride 2)</c>.
/// </summary>
internal abstract class ConvOperation : Operation
{
    protected ConvOperation(ConvGeometry geometry, Func<ConvGeometry, ConvOperation> rebuild, params Shape[] sampleShapes)
    {
        Geometry = geometry;
        Info = new()
        {
            Domain = OperationInfo.Anywhere,
            SampleShapes = sampleShapes.Length > 0 ? sampleShapes : null,
            Onnx = OperationInfo.NoOnnx,
            Code = "",
            Rebuild = a => rebuild(ConvGeometry.From(a)),
        };
    }

    /// <summary>The geometry captured when the node was built.</summary>
    public ConvGeometry Geometry { get; }

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => Geometry.Attributes;

    /// <summary>The batch size (last axis) of image operand <paramref name="index"/>, refusing it unless it is <paramref name="expected"/>(m).</summary>
    protected int Batch(IReadOnlyList<Node> inputs, int index, Func<int, Shape> expected, string role)
    {
        var shape = inputs[index].Shape;
        int m = shape.Columns;
        return shape == expected(m) ? m : throw Mismatch(inputs, index, expected(m), role);
    }

    /// <summary>Refuses operand <paramref name="index"/> unless it is <paramref name="expected"/>.</summary>
    protected void Require(IReadOnlyList<Node> inputs, int index, Shape expected, string role)
    {
        if (inputs[index].Shape != expected) throw Mismatch(inputs, index, expected, role);
    }

    private ShapeMismatchException Mismatch(IReadOnlyList<Node> inputs, int index, Shape expected, string role)
    {
        var actual = inputs[index].Shape;
        string axis = actual.Rank == expected.Rank
            ? $" (axis {Enumerable.Range(0, actual.Rank).First(k => actual[k] != expected[k])} differs)"
            : $" (rank {actual.Rank}, not {expected.Rank})";
        return ShapeMismatchException.For(Name, inputs, $"{inputs[index].Label}, {role}, must be {expected} for this convolution{axis}{Geometry.Suffix}");
    }

    /// <summary>Both image operands hold the same number of examples.</summary>
    protected void SameBatch(IReadOnlyList<Node> inputs, int first, int second, int m1, int m2)
    {
        if (m1 != m2)
            throw ShapeMismatchException.For(Name, inputs, $"{inputs[first].Label} and {inputs[second].Label} must hold the same examples (last axis): {Shape.FormatDimension(m1)} and {Shape.FormatDimension(m2)}");
    }

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        $"{Name}({string.Join(", ", operands.Select(o => o.Text))}{Geometry.Suffix})";
}
