namespace GraphDiff;

/// <summary>A leaf of the graph: a variable, an input or a constant.</summary>
public abstract class Leaf : Node
{
    private protected Leaf(LeafOperation operation, Shape shape, SourceLocation location, string? name)
        : base(operation, shape, location, name) { }

    /// <inheritdoc />
    public override bool IsLeaf => true;

    /// <summary>Leaves are named when created; renaming one would make a second, unrelated leaf.</summary>
    public override Node Named(string name) =>
        throw new InvalidOperationException($"{Label} is a leaf; give it its name when you create it.");
}
