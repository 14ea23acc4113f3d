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
        return n.Operation == Op.NegateOperation && n.Name is null;
    }

    /// <summary>
    /// −mean(e), as <c>-Op.Mean(e)</c> or <c>Op.Mean(-e)</c> build it (a total sum over its own count): the terms e
    /// (the value under the minus sign).
    /// </summary>
    public static bool IsNegatedMean(Node n, out Node terms)
    {
        terms = n;
        // The cost itself may be named (J); a named step inside it would vanish into the loss, so it stops the match.
        if (n.Operation == Op.NegateOperation && IsMean(n.Inputs[0], out terms, named: false)) return true;
        return IsMean(n, out var negated, named: true) && IsNegation(negated, out terms);
    }

    /// <summary>Σe / count(e) over every element: the mean as <c>Op.Mean</c> builds it.</summary>
    private static bool IsMean(Node n, out Node terms, bool named)
    {
        terms = n;
        if (n.Operation != Op.DivideOperation || !named && n.Name is not null) return false;
        Node sum = n.Inputs[0], count = n.Inputs[1];
        if (sum.Operation is not SumOperation { Axis: null } || count.Operation is not CountOperation { Axis: null }) return false;
        terms = sum.Inputs[0];
        return ReferenceEquals(terms, count.Inputs[0]);
    }

    /// <summary>The operands of a product a·b, either way round (for matching commutative patterns).</summary>
    public static IEnumerable<(Node First, Node Second)> Factors(Node n) =>
        n.Operation == Op.MultiplyOperation && n.Name is null ? [(n.Inputs[0], n.Inputs[1]), (n.Inputs[1], n.Inputs[0])] : [];

    /// <summary>The operands of a sum a + b, either way round.</summary>
    public static IEnumerable<(Node First, Node Second)> Terms(Node n) =>
        n.Operation == Op.AddOperation && n.Name is null ? [(n.Inputs[0], n.Inputs[1]), (n.Inputs[1], n.Inputs[0])] : [];

    /// <summary>1 − y: the operand y.</summary>
    public static bool IsOneMinus(Node n, out Node y)
    {
        y = n;
        if (n.Operation != Op.SubtractOperation || !IsFilled(n.Inputs[0], 1)) return false;
        y = n.Inputs[1];
        return true;
    }
}
