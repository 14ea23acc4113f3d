using System.Globalization;
using System.Text;

namespace GraphDiff;

/// <summary>
/// Prints graphs: as one expression (<see cref="Expression"/>) for small graphs and messages, or as a listing
/// of steps (<see cref="Listing"/>) that shows every node once, with its shape and source line.
/// </summary>
public static class NodeFormatter
{
    internal const int LabelLength = 40;
    internal const int ExpressionLength = 200;

    /// <summary>
    /// The node as an expression. Named nodes print as their names; a subexpression longer than
    /// <paramref name="maxLength"/> prints as <c>Op(…)</c>. Works bottom-up without recursion, so any depth is fine.
    /// </summary>
    public static string Expression(Node node, int maxLength = ExpressionLength) => Print(node, n => n.Name, maxLength).Text;

    /// <summary>
    /// The one printer every output goes through (sheets, ledgers, listings, pictures, emitted code): the root
    /// expanded, any other node as <paramref name="nameOf"/>'s name for it, or expanded with the parentheses its
    /// precedence needs when it has none. Unnamed constants print as numbers, a negative one with unary
    /// precedence (<c>(-1)²</c>, not <c>-1²</c>). The matrix product reads tighter than <c>*</c> and <c>/</c>:
    /// its operands other than names, calls and postfix forms get parentheses, so <c>W2ᵀ·dZ2 * (1 - A1²)</c> is
    /// (W2ᵀ·dZ2) * (1 − A1²). A teaching tool prints through it with its own names (t1, t2, … for unnamed
    /// intermediates); an unnamed constant root prints as its value.
    /// </summary>
    /// <param name="root">The node to print, always expanded.</param>
    /// <param name="nameOf">The name to print for a node below the root, or null to expand it.</param>
    /// <param name="maxLength">The length past which a subexpression prints as <c>Op(…)</c>; unlimited by default.</param>
    public static FormattedOperand Print(Node root, Func<Node, string?> nameOf, int maxLength = int.MaxValue)
    {
        var printed = new Dictionary<Node, FormattedOperand>(ReferenceEqualityComparer.Instance);
        foreach (var n in Needed(root, nameOf))
            printed[n] = Format(n, printed, nameOf, maxLength, isRoot: ReferenceEquals(n, root));
        return printed[root];
    }

    /// <summary>
    /// The nodes the root's text is made of, operands first, not looking inside named ones: printing every node of
    /// a large graph by name stays linear. Iterative, so any depth is fine.
    /// </summary>
    private static List<Node> Needed(Node root, Func<Node, string?> nameOf) =>
        Graph.Order([root], walkInto: n => ReferenceEquals(n, root) || nameOf(n) is null);

    /// <summary>
    /// A node as an operand of something printed around it, for an operation's messages and
    /// <see cref="Operation.Format(Node, IReadOnlyList{FormattedOperand})"/>: its name when it has one, otherwise its
    /// expression (shortened to <c>Op(…)</c> past <paramref name="maxLength"/> characters) with the precedence of its
    /// outermost operation, so that <see cref="FormattedOperand.Within"/> adds the parentheses it needs.
    /// </summary>
    /// <param name="node">The operand to print.</param>
    /// <param name="maxLength">The length past which a subexpression prints as <c>Op(…)</c>; 40 by default, a label's length.</param>
    public static FormattedOperand Operand(Node node, int maxLength = LabelLength) =>
        node.Name is { } name ? new(name, FormattedOperand.Atom) : Print(node, n => n.Name, maxLength);

    private static FormattedOperand Format(Node n, Dictionary<Node, FormattedOperand> printed, Func<Node, string?> nameOf, int maxLength, bool isRoot)
    {
        if (!isRoot && nameOf(n) is { } given) return new(given, FormattedOperand.Atom);
        if (n is Constant { Name: null } c) return FormatConstant(c);
        if (n.IsLeaf) return new(n.Name ?? n.Operation.Name, FormattedOperand.Atom);
        var operands = n.Inputs.Select(i => printed[i]).ToArray();
        var text = n.Operation.Format(n, operands);
        return text.Length <= maxLength || isRoot && operands.Length == 0
            ? new(text, n.Operation.Precedence)
            : new($"{n.Operation.Name}(…)", FormattedOperand.Atom);
    }

    /// <summary>An unnamed constant as printed: its value, or <c>fill(value, shape)</c>.</summary>
    internal static FormattedOperand FormatConstant(Constant c)
    {
        if (c.Fill is not { } f) return new($"const({c.Shape})", FormattedOperand.Atom);
        string number = f.ToString("G6", CultureInfo.InvariantCulture);
        return c.Shape.IsScalar ? new(number, f < 0 ? FormattedOperand.Additive : FormattedOperand.Atom) : new($"fill({number}, {c.Shape})", FormattedOperand.Atom);
    }

    /// <summary>
    /// Every node needed for <paramref name="outputs"/>, one line each in evaluation order:
    /// <c>%12 = MatMul(W1, X)    4×m    Model.cs:41</c>. Leaves are listed with their kind.
    /// </summary>
    public static string Listing(params IEnumerable<Node> outputs)
    {
        var order = Graph.Order(outputs);
        var names = new Dictionary<Node, string>(order.Count);
        var sb = new StringBuilder();
        foreach (var n in order)
        {
            if (n is Constant { Name: null } && n.Shape.IsScalar) continue; // numbers print inline where used
            string ident = n.Name ?? (n is Constant c ? FormatConstant(c).Text : $"%{n.Id}");
            names[n] = ident;
            string rhs = n.IsLeaf ? n.Operation.Name : Print(n, i => names.GetValueOrDefault(i)).Text;
            sb.Append(CultureInfo.InvariantCulture, $"{ident,-10} = {rhs,-36} {n.Shape,-10} {n.Location}").AppendLine();
        }
        return sb.ToString();
    }
}
