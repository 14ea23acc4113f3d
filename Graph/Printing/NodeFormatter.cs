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
    public static string Expression(Node node, int maxLength = ExpressionLength)
    {
        var order = Topology.Order([node]);
        var printed = new Dictionary<Node, FormattedOperand>(order.Count);
        foreach (var n in order)
            printed[n] = Format(n, printed, maxLength, isRoot: ReferenceEquals(n, node));
        return printed[node].Text;
    }

    /// <summary>
    /// The right-hand side of a definition <c>name = …</c>: the node's expression, its name for a leaf, or the
    /// value of a constant (a gradient that does not depend on its node is the constant 0, named by its label).
    /// </summary>
    public static string Definition(Node node) => node is Constant { Fill: not null } c ? FormatConstant(c) : Expression(node);

    private static FormattedOperand Format(Node n, Dictionary<Node, FormattedOperand> printed, int maxLength, bool isRoot)
    {
        if (n is Constant c && c.Name is null) return new(FormatConstant(c), Precedences.Atom);
        if (n.Name is { } name && (!isRoot || n.IsLeaf)) return new(name, Precedences.Atom);
        var operands = n.Inputs.Select(i => printed[i]).ToArray();
        var text = n.Operation.Format(n, operands);
        return text.Length <= maxLength || isRoot && operands.Length == 0
            ? new(text, n.Operation.Precedence)
            : new($"{n.Operation.Name}(…)", Precedences.Atom);
    }

    private static string FormatConstant(Constant c)
    {
        if (c.Fill is { } f)
            return c.Shape.IsScalar ? f.ToString("G6", CultureInfo.InvariantCulture) : $"fill({f.ToString("G6", CultureInfo.InvariantCulture)}, {c.Shape})";
        return $"const({c.Shape})";
    }

    /// <summary>
    /// Every node needed for <paramref name="outputs"/>, one line each in evaluation order:
    /// <c>%12 = MatMul(W1, X)    4×m    Model.cs:41</c>. Leaves are listed with their kind.
    /// </summary>
    public static string Listing(params IEnumerable<Node> outputs)
    {
        var order = Topology.Order(outputs);
        var names = new Dictionary<Node, string>(order.Count);
        var sb = new StringBuilder();
        foreach (var n in order)
        {
            string ident = n.Name ?? (n is Constant c ? FormatConstant(c) : $"%{n.Id}");
            names[n] = ident;
            string rhs = n.IsLeaf
                ? n.Operation.Name
                : n.Operation.Format(n, n.Inputs.Select(i => new FormattedOperand(names[i], Precedences.Atom)).ToArray());
            if (n is Constant { Name: null } && n.Shape.IsScalar) continue; // numbers print inline where used
            sb.Append(CultureInfo.InvariantCulture, $"{ident,-10} = {rhs,-36} {n.Shape,-10} {n.Location}").AppendLine();
        }
        return sb.ToString();
    }
}
