using System.Globalization;

namespace GraphDiff;

/// <summary>The operation found to have a wrong local derivative, and where, with that derivative as a learner computes it.</summary>
/// <param name="Node">The node whose vector-Jacobian product disagrees with finite differences of its own forward.</param>
/// <param name="Operand">Which operand's gradient is wrong.</param>
/// <param name="Row">The operand element's row.</param>
/// <param name="Column">The operand element's column.</param>
/// <param name="Analytic">The local derivative ∂y[<see cref="OutputRow"/>, <see cref="OutputColumn"/>]/∂x[Row, Column] that <c>Backward</c> gives (f′(x) for an elementwise operation).</param>
/// <param name="Numeric">The same from central differences of the node's own forward: (f(x + ε) − f(x − ε)) / 2ε.</param>
public sealed record Culprit(Node Node, int Operand, int Row, int Column, double Analytic, double Numeric)
{
    /// <summary>The row of the output element y whose derivative is shown (equal to <see cref="Row"/> for an elementwise operation).</summary>
    public int OutputRow { get; init; }

    /// <summary>The column of that output element.</summary>
    public int OutputColumn { get; init; }

    /// <summary>The operand's value x at the failing element.</summary>
    public double OperandValue { get; init; }

    /// <summary>E.g. <c>BadSoftplus(Z2) (built at Model.cs:12): the local derivative of BadSoftplus is wrong: f′(x) at Z2[3, 1] = 0.25: analytic 0.24, numeric 0.56</c>.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        string label = Node.Inputs[Operand].Label;
        string operand = label.Contains(' ', StringComparison.Ordinal) ? $"({label})" : label;   // (W1·X + b1)[3, 20], not W1·X + b1[3, 20]
        string x = Index(Node.Inputs[Operand].Shape, Row, Column), y = Index(Node.Shape, OutputRow, OutputColumn);
        string at = string.Create(inv, $"{operand}{x} = {OperandValue:G6}");
        string derivative = Node.Operation.IsElementwise && Node.Inputs.Count == 1 && (OutputRow, OutputColumn) == (Row, Column)
            ? $"f′(x) at x = {at}"
            : string.Create(inv, $"∂y{y}/∂{operand}{x} (operand {Operand}) at {at}");
        return string.Create(inv, $"{Node.Label} (built at {Node.Location}): the local derivative of {Node.Operation.Name} is wrong: {derivative}: analytic {Analytic:G8}, numeric {Numeric:G8}");
    }

    // [3, 1] for a matrix; [2, 0, 1, 4] for a rank-4 value (Row and Column are places in its storage matrix).
    private static string Index(Shape shape, int row, int column) => $"[{string.Join(", ", shape.IndexOf(row, column))}]";
}
