using System.Globalization;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// Thrown when a node computes NaN or ∞, or a variable already holds one. The message names the node, where it
/// was built, the element, and the operands' values at that element (for a reduction, the operand element that
/// caused it), so the cause (log of 0, an exploding learning rate, empty data) is visible.
/// </summary>
public sealed class NonFiniteValueException : ArithmeticException
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Creates the exception.</summary>
    public NonFiniteValueException(string message, Node node) : base(message) => Node = node;

    /// <summary>The node whose value was not finite.</summary>
    public Node Node { get; }

    internal static NonFiniteValueException Held(Variable variable, (int Row, int Column, double Value) bad) =>
        new($"Variable '{variable.Name}' (created at {variable.Location}) holds {bad.Value.ToString(Inv)} at {variable.Shape.PositionOf(bad.Row, bad.Column)}, " +
            "before anything was computed from it; give it finite values.", variable);

    internal static NonFiniteValueException At(Node node, (int Row, int Column, double Value) bad, ReadOnlySpan<Tensor> operands, int m,
        int columnOffset = 0, int? blockColumns = null)
    {
        // A fused block computes columns columnOffset .. columnOffset + blockColumns: operands and bad are relative to it.
        var shape = node.Shape.Resolve(m);
        if (blockColumns is { } w) shape = shape.WithColumns(w);
        var around = new List<string>();
        bool empty = m == 0;
        for (int k = 0; k < node.Inputs.Count; k++)
        {
            around.Add(Describe(node.Inputs[k], operands[k], shape, bad));
            empty |= operands[k].Length == 0;
        }
        string message = $"{node.Label} (built at {node.Location}) computed {bad.Value.ToString(Inv)} at {node.Shape.PositionOf(bad.Row, bad.Column + columnOffset)}" +
            (node.Inputs.Count > 0 ? $" from {string.Join(", ", around)}." : ".");
        if (empty)
            message += " The data is empty (m = 0 examples or an empty operand): a mean over no examples is undefined; feed at least one example.";
        return new NonFiniteValueException(message, node);
    }

    /// <summary>
    /// An operand at the failing element. When the operand has the result's shape (or broadcasts to it), that is
    /// its element there; otherwise (a sum, a product) the element responsible: the first non-finite one, or else
    /// the largest in magnitude (the sum overflowed).
    /// </summary>
    private static string Describe(Node input, Tensor v, Shape result, (int Row, int Column, double Value) bad)
    {
        if (v.Length == 0) return $"{input.Label} (empty, {v.Rows}×{v.Columns})";
        bool aligned = (v.Rows == result.Rows || v.Rows == 1) && (v.Columns == result.Columns || v.Columns == 1);
        if (aligned)
        {
            int r = v.Rows == 1 ? 0 : bad.Row, c = v.Columns == 1 ? 0 : bad.Column;
            return $"{input.Label} = {v[r, c].ToString("G6", Inv)}";
        }
        var values = v.Span;
        int worst = 0;
        for (int k = 0; k < values.Length; k++)
        {
            if (!double.IsFinite(values[k])) { worst = k; break; }
            if (Math.Abs(values[k]) > Math.Abs(values[worst])) worst = k;
        }
        string which = double.IsFinite(values[worst]) ? "its largest element" : "its first non-finite element";
        var position = input.Shape.Rows == v.Rows ? input.Shape.PositionOf(worst % v.Rows, worst / v.Rows) : $"row {worst % v.Rows}, column {worst / v.Rows}";
        return $"{input.Label} = {values[worst].ToString("G6", Inv)} at {position} ({which})";
    }
}
