using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// Base of the pooling operations and their backward operations: one instance per <see cref="PoolGeometry"/>,
/// captured when the node is built, which its shape rule checks, its attributes save and its printing shows.
/// </summary>
internal abstract class PoolOperation : Operation
{
    /// <summary>Captures the geometry; <paramref name="rebuild"/> makes the same operation for another geometry (saved graphs); <paramref name="sampleShapes"/> are the operands checks sample.</summary>
    protected PoolOperation(PoolGeometry geometry, Func<PoolGeometry, Operation> rebuild, Shape[] sampleShapes)
    {
        Geometry = geometry;
        Info = new()
        {
            Domain = OperationInfo.Anywhere,
            SampleShapes = sampleShapes,
            Onnx = OperationInfo.NoOnnx,
            Code = "",
            Rebuild = a => rebuild(PoolGeometry.From(a)),
        };
    }

    /// <summary>The window and the images it pools.</summary>
    internal PoolGeometry Geometry { get; }

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => Geometry.Attributes;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => Run(inputs, result, Environment.ProcessorCount);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor<float>> inputs, Tensor<float> result) =>
        Run(inputs[0], inputs.Length > 1 ? inputs[1] : default, result, Environment.ProcessorCount);

    /// <summary>The forward kernel over at most <paramref name="cores"/> cores (a parameter so that tests can simulate any machine).</summary>
    internal void Run(ReadOnlySpan<Tensor> inputs, Tensor result, int cores) =>
        Run<double>(inputs[0], inputs.Length > 1 ? inputs[1] : default, result, cores);

    /// <summary>The kernel in <typeparamref name="E"/>, for the pool's one or two operands (<paramref name="second"/> is default when there is one).</summary>
    internal abstract void Run<E>(Tensor<E> first, Tensor<E> second, Tensor<E> result, int cores) where E : unmanaged, System.Numerics.IFloatingPointIeee754<E>;

    /// <summary>Units of one output row of one example each, for the kernels that gather.</summary>
    protected void ByOutputRow<T>(T work, int m, int cores) where T : struct, IUnitWork =>
        SpatialParallel.For(work, m * Geometry.OutHeight, Geometry.WorkPerExample / Geometry.OutHeight, cores);

    /// <summary>Units of one example each, for the kernels that scatter into overlapping windows.</summary>
    protected void ByExample<T>(T work, int m, int cores) where T : struct, IUnitWork =>
        SpatialParallel.For(work, m, Geometry.WorkPerExample, cores);

    /// <summary>Prints <c>MaxPool2D(A1, 2×2, stride 2)</c>.</summary>
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        $"{Name}({string.Join(", ", operands.Select(o => o.Text))}, {Geometry})";
}
