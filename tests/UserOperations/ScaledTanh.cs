using System.Runtime.CompilerServices;
using GraphDiff;
using GraphDiff.Tensors;

namespace UserOperations;

/// <summary>
/// s·tanh(x) with a constant scale s: a general operation (a class deriving from <see cref="Operation"/>) with a
/// parameter, so it declares its attributes and how a saved graph rebuilds it. It has no ONNX form, and says so.
/// </summary>
public sealed class ScaledTanh : Operation
{
    /// <summary>Registers the factory that rebuilds a saved ScaledTanh from its attributes.</summary>
    static ScaledTanh() => OperationRegistry.Register("ScaledTanh", attributes => new ScaledTanh(OperationInfo.Required(attributes, "scale")));

    /// <summary>An operation computing <paramref name="scale"/>·tanh(x).</summary>
    public ScaledTanh(double scale)
    {
        if (!double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), $"ScaledTanh: the scale must be finite, got {scale}.");
        Scale = scale;
        KeepsFinite = true;
        Info = new()
        {
            Domain = OperationInfo.Anywhere,
            Onnx = OperationInfo.NoOnnx,
            Code = $"Bp.Map({{0}}, v => {scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} * System.Math.Tanh(v))",
            Rebuild = attributes => new ScaledTanh(OperationInfo.Required(attributes, "scale")),
        };
    }

    /// <summary>The constant s.</summary>
    public double Scale { get; }

    /// <inheritdoc/>
    public override string Name => "ScaledTanh";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, double> Attributes => new Dictionary<string, double> { ["scale"] = Scale };

    /// <inheritdoc/>
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        TensorMath.Tanh(inputs[0].Span, result.Span);
        System.Numerics.Tensors.TensorPrimitives.Multiply(result.Span, Scale, result.Span);
    }

    /// <summary>∂y/∂x = s·(1 − tanh²x) = s − y²/s (reusing y); for s = 0 the result is 0 and so is the derivative.</summary>
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [upstream * (Scale * (1.0 - Op.Square(Op.Tanh(node.Inputs[0]))))];

    /// <inheritdoc/>
    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"{Scale}·tanh({operands[0].Text})";

    /// <summary><paramref name="scale"/>·tanh(<paramref name="x"/>); errors name the caller's line.</summary>
    public static Node Of(Node x, double scale, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Node.Apply(new ScaledTanh(scale), [x], file: file, line: line);
}
