namespace GraphDiff;

/// <summary>
/// Thrown when a node is built from operands whose shapes do not fit the operation's rule. The message names
/// the operation, each operand, its shape, the source line where it was created, and what would fit.
/// </summary>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Creates the exception with a complete message.</summary>
    public ShapeMismatchException(string message) : base(message) { }

    /// <summary>
    /// Builds the standard message: <c>Op(a, b): a is 4×3 (Model.cs:41) and b is 2×400 (Model.cs:40); hint</c>.
    /// </summary>
    public static ShapeMismatchException For(string operation, IReadOnlyList<Node> operands, string hint)
    {
        var call = $"{operation}({string.Join(", ", operands.Select(o => o.Label))})";
        var parts = string.Join(" and ", operands.Select(o => $"{o.Label} is {o.Shape} ({o.Location})"));
        return new ShapeMismatchException($"{call}: {parts}; {hint}");
    }
}
