using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>The operation of a leaf: it has no operands, so there is nothing to compute or differentiate.</summary>
internal sealed class LeafOperation : Operation
{
    private LeafOperation(string name) => Name = name;

    internal static readonly LeafOperation VariableLeaf = new("Variable");
    internal static readonly LeafOperation InputLeaf = new("Input");
    internal static readonly LeafOperation ConstantLeaf = new("Constant");

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) =>
        throw new InvalidOperationException("A leaf's shape is given when it is created.");

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) =>
        throw new InvalidOperationException("A leaf's value is supplied, not computed.");

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [];
}
