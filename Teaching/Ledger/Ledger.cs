using System.Globalization;
using System.Text;

namespace GraphDiff;

/// <summary>One line of a ledger: who, how (the formula), and the value.</summary>
/// <param name="Name">The node's name (<c>t1</c>, <c>t2</c>, … for an unnamed node, as the pictures title it), or <c>dJ/dname</c> in the backward pass.</param>
/// <param name="Formula">The expression, or the chain rule applied: <c>dJ/dv · ∂v/∂u = 3 · 1</c>.</param>
/// <param name="Value">The value as printed: a number in full, or a matrix as shape, norm and first elements.</param>
internal sealed record LedgerLine(string Name, string Formula, string Value)
{
    /// <summary>The id of the node the line is about (its value, or its gradient), for pictures that highlight it.</summary>
    public long NodeId { get; init; }

    /// <summary>E.g. <c>dJ/du = dJ/dv · ∂v/∂u = 3 · 1 = 3</c>.</summary>
    public override string ToString() => Formula.Length == 0 ? $"{Name} = {Value}" : $"{Name} = {Formula} = {Value}";
}

/// <summary>
/// The chain rule worked through for one graph and one set of values, as the course does it by hand: the forward
/// pass left to right, each node with its expression and value, then the backward pass right to left, one line
/// per node with its local derivative printed symbolically, the upstream gradient it multiplies, and the value;
/// a node that feeds several others sums their contributions. Built by <see cref="Backprop.Explain"/>.
/// </summary>
public sealed class Ledger
{
    internal Ledger(IReadOnlyList<LedgerLine> forward, IReadOnlyList<LedgerLine> backward)
    {
        Forward = forward;
        Backward = backward;
    }

    /// <summary>The forward pass, in evaluation order (leaves first).</summary>
    internal IReadOnlyList<LedgerLine> Forward { get; }

    /// <summary>The backward pass, from the output back to the leaves.</summary>
    internal IReadOnlyList<LedgerLine> Backward { get; }

    /// <summary>Both passes as text, one line each.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine("Forward, left to right:");
        foreach (var line in Forward) sb.Append("  ").AppendLine(line.ToString());
        sb.AppendLine("Backward, right to left (chain rule):");
        foreach (var line in Backward) sb.Append("  ").AppendLine(line.ToString());
        return sb.ToString();
    }

    /// <summary>Both passes as a Markdown table, to paste into notes.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| pass | quantity | formula | value |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var line in Forward) sb.AppendLine($"| forward | {Cell(line.Name)} | {Cell(line.Formula)} | {Cell(line.Value)} |");
        foreach (var line in Backward) sb.AppendLine($"| backward | {Cell(line.Name)} | {Cell(line.Formula)} | {Cell(line.Value)} |");
        return sb.ToString();
    }

    private static string Cell(string text) => text.Length == 0 ? "" : $"`{text.Replace("|", "\\|")}`";

    /// <summary>
    /// A number in full (G6); a larger value as its shape (every axis: <c>4×4×2×3</c>, not the 32×3 matrix it is
    /// stored as), Frobenius norm and first elements (of the first example, the last axis varying fastest, as numpy
    /// lists them). <paramref name="shape"/> is the node's, with or without m resolved.
    /// </summary>
    internal static string Format(Tensor value, Shape shape)
    {
        var inv = CultureInfo.InvariantCulture;
        if (value.Rows == 1 && value.Columns == 1) return value[0, 0].ToString("G6", inv);
        double sum = 0;
        var first = new List<string>();
        for (int j = 0; j < value.Columns; j++)
            for (int i = 0; i < value.Rows; i++)
            {
                sum += value[i, j] * value[i, j];
                if (first.Count < 3) first.Add(value[i, j].ToString("G4", inv));
            }
        string dimensions = shape.Rank > 2 && shape.Rows == value.Rows ? shape.WithColumns(value.Columns).ToString() : $"{value.Rows}×{value.Columns}";
        return $"{dimensions}, ‖·‖ = {Math.Sqrt(sum).ToString("G4", inv)}, [{string.Join(", ", first)}{(value.Length > 3 ? ", …" : "")}]";
    }
}
