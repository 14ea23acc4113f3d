namespace GraphDiff;

/// <summary>
/// A value fed at evaluation time (X, Y). Its shape is declared when created; a dimension may be
/// <see cref="Shape.Batch"/> (the number of examples, m), fixed by what is fed.
/// </summary>
public sealed class Input : Leaf
{
    internal Input(string name, Shape shape, SourceLocation location)
        : base(LeafOperation.InputLeaf, shape, location, name) { }

    /// <summary>The input's name (never null for an input); a feed may refer to the input by it.</summary>
    public new string Name => base.Name!;
}
