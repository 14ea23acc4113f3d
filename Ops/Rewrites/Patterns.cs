namespace GraphDiff;

/// <summary>
/// What the simplification rules ask of a node, in one place. Rules build their replacements with the ordinary
/// builders: the compiler attributes every node built while a rule runs to the node being rewritten.
/// </summary>
internal static class Patterns
{
    public static bool IsFilled(Node n, double value) => n is Constant c && c.IsFilledWith(value);

    public static bool IsScalar(Node n) => n.Shape.IsScalar;

    /// <summary>s·x with s 1×1 and x not: the scalar factor and the rest (either order of the product).</summary>
    public static bool IsScaled(Node n, out Node scalar, out Node rest)
    {
        scalar = rest = n;
        if (n.Operation != Op.MultiplyOperation || n.Name is not null) return false;
        Node a = n.Inputs[0], b = n.Inputs[1];
        if (IsScalar(a) && !IsScalar(b)) { scalar = a; rest = b; return true; }
        if (IsScalar(b) && !IsScalar(a)) { scalar = b; rest = a; return true; }
        return false;
    }

    /// <summary>The operand of −x, when <paramref name="n"/> is an unnamed negation.</summary>
    public static bool IsNegation(Node n, out Node operand)
    {
        operand = n.Inputs.Count == 1 ? n.Inputs[0] : n;
        return n.Operation is NegateOperation && n.Name is null;
    }
}
