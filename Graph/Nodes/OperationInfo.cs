namespace GraphDiff;

/// <summary>
/// Everything an operation declares about itself beyond its forward, derivative and printing, in one place next
/// to them (in the spirit of PyTorch's OpInfo): where tests sample it, its ONNX form, its emitted-code form, what
/// it means for labels, and how a saved graph rebuilds it. Each part is either declared, declared as "none"
/// (<see cref="NotSampled"/>, <see cref="NoOnnx"/>, an empty <see cref="Code"/>, <see cref="NotSaved"/>), or left
/// undeclared (<c>null</c>): a test fails for a built-in operation that leaves a part undeclared, and
/// <see cref="Missing"/> names which.
/// </summary>
public sealed record OperationInfo
{
    /// <summary>Nothing declared: the default of a user's operation.</summary>
    public static OperationInfo Undeclared { get; } = new();

    /// <summary>
    /// Where value and gradient checks sample each operand, an interval per operand (the last one serves the
    /// operands after it); samples keep away from the first operand's kinks (<see cref="Operation.Kinks"/>).
    /// <see cref="NotSampled"/> says the operation is not checked by sampling.
    /// </summary>
    public IReadOnlyList<(double Low, double High)>? Domain { get; init; }

    /// <summary>Every operand in [−2, 2]: the domain of an operation defined everywhere.</summary>
    public static IReadOnlyList<(double Low, double High)> Anywhere { get; } = [(-2, 2)];

    /// <summary>Every operand in [0.2, 2]: for logarithms, roots, poles at 0.</summary>
    public static IReadOnlyList<(double Low, double High)> Positive { get; } = [(0.2, 2)];

    /// <summary>"None": the operation is not checked by sampling.</summary>
    public static IReadOnlyList<(double Low, double High)> NotSampled { get; } = [];

    /// <summary>
    /// Operand shapes (fixed sizes) under which checks sample the operation, one per operand: for an operation
    /// that fits only some shapes (a convolution, a reshape). <c>null</c> lets the
    /// checks try the usual shapes (equal, broadcast, a product's inner dimension).
    /// </summary>
    public IReadOnlyList<Shape>? SampleShapes { get; init; }

    /// <summary>How the operation is written in ONNX, or <see cref="NoOnnx"/>: export refuses it, naming it.</summary>
    public OnnxLowering? Onnx { get; init; }

    /// <summary>"None" for <see cref="Onnx"/>: the operation has no ONNX form (a loss, a check).</summary>
    public static OnnxLowering NoOnnx { get; } = (_, node, _) =>
        throw new NotSupportedException($"'{node.Operation.Name}' has no ONNX form.");

    /// <summary>The ONNX operator <paramref name="opType"/> applied to the operands as they are, e.g. <c>OnnxAs("Tanh")</c>.</summary>
    public static OnnxLowering OnnxAs(string opType, params (string Name, object Value)[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        return (onnx, _, inputs) => onnx.Add(opType, inputs, attributes);
    }

    /// <summary>
    /// The C# expression the emitted backprop code (<c>BackpropCode</c>) writes for the operation, over its tiny
    /// matrix API <c>Bp</c>, with <c>{0}</c>, <c>{1}</c> standing for the operands, e.g.
    /// <c>Bp.Map({0}, System.Math.Tanh)</c>. An empty string says "none": the emitter refuses it, naming it.
    /// </summary>
    public string? Code { get; init; }

    /// <summary>What the operation means for labels and networks; <see cref="OperationMeaning.None"/> unless declared.</summary>
    public OperationMeaning Meaning { get; init; }

    /// <summary>
    /// Rebuilds the operation from the <see cref="Operation.Attributes"/> a saved graph holds, under its
    /// <see cref="Operation.Name"/>, refusing attributes out of range. An operation without parameters needs none:
    /// it is saved by name and read back as itself. <see cref="NotSaved"/> says it cannot be saved.
    /// </summary>
    public Func<IReadOnlyDictionary<string, double>, Operation>? Rebuild { get; init; }

    /// <summary>"None" for <see cref="Rebuild"/>: graphs holding the operation are not saved.</summary>
    public static Func<IReadOnlyDictionary<string, double>, Operation> NotSaved { get; } = _ =>
        throw new NotSupportedException("This operation is not saved.");

    /// <summary>
    /// The parts of <paramref name="operation"/>'s declaration left undeclared (neither given nor "none"):
    /// <c>Domain</c>, <c>Onnx</c>, <c>Code</c>, <c>Rebuild</c> (only for an operation with parameters).
    /// </summary>
    public static IReadOnlyList<string> Missing(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var info = operation.Info;
        var missing = new List<string>();
        if (info.Domain is null) missing.Add(nameof(Domain));
        if (info.Onnx is null) missing.Add(nameof(Onnx));
        if (info.Code is null) missing.Add(nameof(Code));
        if (info.Rebuild is null && operation.Attributes.Count > 0) missing.Add(nameof(Rebuild));
        return missing;
    }

    /// <summary>The attribute <paramref name="key"/>, for a <see cref="Rebuild"/>: a missing one is refused by name.</summary>
    public static double Required(IReadOnlyDictionary<string, double> attributes, string key)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return attributes.TryGetValue(key, out var v) ? v : throw new ArgumentException($"the attribute '{key}' is missing");
    }
}
