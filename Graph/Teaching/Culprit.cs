using System.Globalization;

namespace GraphDiff;

/// <summary>The operation found to have a wrong local derivative, and where.</summary>
/// <param name="Node">The node whose vector-Jacobian product disagrees with finite differences of its own forward.</param>
/// <param name="Operand">Which operand's gradient is wrong.</param>
/// <param name="Row">The operand element's row.</param>
/// <param name="Column">The operand element's column.</param>
/// <param name="Analytic">What <c>Backward</c> gives there, for a random upstream gradient.</param>
/// <param name="Numeric">What central differences of the node's forward give there.</param>
public sealed record Culprit(Node Node, int Operand, int Row, int Column, double Analytic, double Numeric)
{
    /// <summary>E.g. <c>BadSoftplus(Z2) (built at Model.cs:12): the local derivative of BadSoftplus for operand 0 (Z2) is wrong at [3, 1]: analytic 0.12, numeric 0.47</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Node.Label} (built at {Node.Location}): the local derivative of {Node.Operation.Name} for operand {Operand} ({Node.Inputs[Operand].Label}) is wrong at [{Row}, {Column}]: analytic {Analytic:G8}, numeric {Numeric:G8}");
}
