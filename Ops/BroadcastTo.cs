using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// <paramref name="x"/> repeated along its size-1 dimensions to the shape of <paramref name="like"/> (whose
    /// value is not read, only its shape, so the batch dimension is resolved at evaluation), any rank, aligned on the
    /// last axis as numpy does: a (n_C, 1) bias across (n_H, n_W, n_C, m) images. Sum's derivative. Built
    /// as written even where x has that shape already; the compiler's <c>BroadcastToOwnShape</c> rule removes it then.
    /// </summary>
    public static Node BroadcastTo(Node x, Node like, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(like);
        if (Broadcasting.CoveredByKernels(x.Shape, like.Shape) || x.Shape.Rank > like.Shape.Rank)
            return Node.Apply(BroadcastToOperation.Instance, [x, like], At(file, line));
        // Along leading axes (a per-channel (n_C, 1) across (n_H, n_W, n_C, m)): an explicit map of the axes.
        var target = Broadcasting.Shape("BroadcastTo", x, like);
        if (target != like.Shape)
            throw ShapeMismatchException.For("BroadcastTo", [x, like], $"{x.Label} must broadcast to exactly {like.Shape}");
        return BroadcastAxesOperation.Apply(AxisMap.Aligned(target, x.Shape), mean: false, x, like, At(file, line));
    }
}

/// <summary>y = x broadcast to the shape of a second operand. ∂J/∂x sums the gradient back over the repeated dimensions.</summary>
internal sealed class BroadcastToOperation : Operation
{
    internal static readonly BroadcastToOperation Instance = new()
    {
        KeepsFinite = true,
        Info = new() { Domain = OperationInfo.Anywhere, Onnx = (onnx, _, x) => onnx.Add("Expand", [x[0], onnx.Add("Shape", [x[1]])]), Code = "Bp.BroadcastTo({0}, {1})" },
    };
    /// <inheritdoc />
    public override string Name => "BroadcastTo";

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs)
    {
        var target = Broadcasting.Shape(Name, inputs[0], inputs[1]);
        if (!Broadcasting.CoveredByKernels(inputs[0].Shape, target))
            throw ShapeMismatchException.For(Name, inputs, $"{inputs[0].Label} repeats along leading axes of {target}: Op.BroadcastTo builds that broadcast");
        return target == inputs[1].Shape
            ? target
            : throw ShapeMismatchException.For(Name, inputs, $"{inputs[0].Label} must broadcast to exactly {inputs[1].Shape}");
    }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => Tensors.TensorMath.BroadcastTo(inputs[0], result);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [Op.ReduceTo(upstream, node.Inputs[0].Shape), null];

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"BroadcastTo({operands[0].Text}, shape of {operands[1].Text})";
}
