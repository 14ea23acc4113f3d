namespace GraphDiff;

/// <summary>
/// A graph ready to draw (from <see cref="GraphPicture.Draw"/>): its nodes, each with an id, its label lines,
/// whether it is a leaf and whether it is a gradient node, and its edges from operand to consumer, marked when
/// they belong to the backward pass.
/// </summary>
/// <param name="Nodes">The nodes, inputs before the nodes that use them.</param>
/// <param name="Edges">The edges, by node id.</param>
internal sealed record GraphDrawing(
    IReadOnlyList<(long Id, IReadOnlyList<string> Lines, bool IsLeaf, bool IsGradient)> Nodes,
    IReadOnlyList<(long From, long To, bool Backward)> Edges);
