using System.Globalization;

namespace GraphDiff;

/// <summary>One step of a <see cref="Schedule"/>: the node computed into <see cref="Slot"/> from the operands' slots.</summary>
/// <param name="Slot">Where the value lives (the step's index).</param>
/// <param name="Node">The node computed or bound.</param>
/// <param name="Operands">The operands' slots, in order.</param>
/// <param name="LastUse">The last step that reads this value; the number of steps for an output (read after the run).</param>
internal sealed record ScheduleStep(int Slot, Node Node, IReadOnlyList<int> Operands, int LastUse)
{
    /// <summary>The value's shape; a dimension may be the batch size m.</summary>
    public Shape Shape => Node.Shape;

    /// <summary>
    /// Whether operand <paramref name="k"/> is read transposed (a product's transposeA / transposeB): shown as
    /// <c>MatMul(%4ᵀ, %16)</c>, or W2ᵀ·dZ2 would read as a product whose shapes cannot fit.
    /// </summary>
    private bool IsTransposed(int k) =>
        k < 2 && Node.Operation.Attributes.TryGetValue(k == 0 ? "transposeA" : "transposeB", out double t) && t != 0;

    /// <summary>E.g. <c>%4 = Tanh(%3)   4×m   Model.cs:12</c>, <c>%17 = MatMul(%4ᵀ, %16)   4×m   Model.cs:20</c>.</summary>
    public override string ToString()
    {
        string what = Node switch
        {
            Variable v => $"variable {v.Name}",
            Input i => $"input {i.Name}",
            Constant c => c.Name is { } n ? $"constant {n}" : $"constant {NodeFormatter.Expression(c)}",
            _ => $"{Node.Operation.Name}({string.Join(", ", Operands.Select((o, k) => $"%{o}{(IsTransposed(k) ? "ᵀ" : "")}"))}{(Node.Operation.AttributesText is { Length: > 0 } a ? "; " + a : "")})",
        };
        string name = Node.IsLeaf || Node.Name is null ? "" : $"  [{Node.Name}]";
        return string.Create(CultureInfo.InvariantCulture, $"%{Slot} = {what}{name}   {Shape}   {Node.Location}");
    }
}
