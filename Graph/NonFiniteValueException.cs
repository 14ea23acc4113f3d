using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>
/// Thrown when a node computes NaN or ∞. The message names the node, where it was built, the element,
/// and the operands' values at that element, so the cause (log of 0, an exploding learning rate) is visible.
/// </summary>
public sealed class NonFiniteValueException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public NonFiniteValueException(string message, Node node) : base(message) => Node = node;

    /// <summary>The node whose value was not finite.</summary>
    public Node Node { get; }

    internal static NonFiniteValueException At(Node node, (int Row, int Column, double Value) bad, IReadOnlyList<Matrix<double>> operands)
    {
        var inv = CultureInfo.InvariantCulture;
        var around = node.Inputs.Select((input, k) =>
        {
            var v = operands[k];
            int r = v.RowCount == 1 ? 0 : bad.Row, c = v.ColumnCount == 1 ? 0 : bad.Column;
            return r < v.RowCount && c < v.ColumnCount ? $"{input.Label} = {v[r, c].ToString("G6", inv)}" : input.Label;
        });
        return new NonFiniteValueException(
            $"{node.Label} (built at {node.Location}) computed {bad.Value.ToString(inv)} at row {bad.Row}, column {bad.Column}" +
            (node.Inputs.Count > 0 ? $" from {string.Join(", ", around)}." : "."), node);
    }
}
