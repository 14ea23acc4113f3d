using System.Globalization;
using System.Text;

namespace GraphDiff;

/// <summary>
/// Pictures of a graph as text for Graphviz (DOT) and Mermaid: leaves as boxes, operations as ellipses, each
/// labelled with its name or expression and shape — and, when values are given, its value and, for every node on
/// the path from a variable to the output (intermediates included), its gradient dJ/d· from the ledger. Drawn top
/// to bottom; the gradient graph can be drawn below the forward one, its edges dashed.
/// </summary>
public static class GraphPicture
{
    /// <summary>
    /// The graph of <paramref name="output"/> in Graphviz DOT (render with <c>dot -Tsvg</c>). With a
    /// <paramref name="feed"/> (or no inputs), every node shows its value and its gradient (see
    /// <see cref="Backprop.Explain"/>: A = σ(Z) before a cross-entropy has none, the ledger differentiates from Z); with
    /// <paramref name="withBackward"/>, the gradient nodes of every variable are drawn too.
    /// </summary>
    public static string ToDot(Node output, Feed? feed = null, bool withBackward = false)
    {
        var picture = Build(output, feed, withBackward);
        var sb = new StringBuilder();
        sb.AppendLine("digraph GraphDiff {");
        sb.AppendLine("  rankdir=TB; node [fontname=\"Helvetica\", fontsize=11];");
        foreach (var n in picture.Nodes)
        {
            string shape = n.Node.IsLeaf ? "box" : "ellipse";
            string style = n.IsGradient ? ", style=dashed, color=\"#c0392b\"" : n.Node.IsLeaf ? ", style=filled, fillcolor=\"#eef3fb\"" : "";
            sb.AppendLine($"  n{n.Node.Id} [shape={shape}{style}, label=\"{Escape(string.Join("\n", n.Lines))}\"];");
        }
        // Top to bottom: a network's layers stack down the page (left to right, a 2-4-1 network was 3,000 px
        // wide), and the gradient graph, which reads forward values, ranks below them.
        foreach (var (from, to, backward) in picture.Edges)
            sb.AppendLine(backward ? $"  n{from.Id} -> n{to.Id} [style=dashed, color=\"#c0392b\"];" : $"  n{from.Id} -> n{to.Id};");
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>The same picture as a Mermaid flowchart (GitHub renders it in Markdown).</summary>
    public static string ToMermaid(Node output, Feed? feed = null, bool withBackward = false)
    {
        var picture = Build(output, feed, withBackward);
        var sb = new StringBuilder();
        sb.AppendLine("flowchart TB");
        foreach (var n in picture.Nodes)
        {
            string text = string.Join("<br/>", n.Lines).Replace("\"", "#quot;");
            sb.AppendLine(n.Node.IsLeaf ? $"  n{n.Node.Id}[\"{text}\"]" : $"  n{n.Node.Id}([\"{text}\"])");
        }
        foreach (var (from, to, backward) in picture.Edges)
            sb.AppendLine($"  n{from.Id} {(backward ? "-.->" : "-->")} n{to.Id}");
        sb.AppendLine("  classDef gradient stroke:#c0392b,stroke-dasharray: 4 2;");
        var gradients = picture.Nodes.Where(n => n.IsGradient).Select(n => $"n{n.Node.Id}").ToArray();
        if (gradients.Length > 0) sb.AppendLine($"  class {string.Join(",", gradients)} gradient;");
        return sb.ToString();
    }

    /// <summary>
    /// What a picture shows, for renderers of other formats (<see cref="GraphSvg"/>): each node with its
    /// text lines, whether it is a leaf and whether it belongs to the gradient graph; each edge from operand to
    /// consumer, marked when it belongs to the backward pass.
    /// </summary>
    internal static GraphDrawing Draw(Node output, Feed? feed = null, bool withBackward = false)
    {
        var picture = Build(output, feed, withBackward);
        return new GraphDrawing(
            picture.Nodes.Select(n => (n.Node.Id, n.Lines, n.Node.IsLeaf, n.IsGradient)).ToArray(),
            picture.Edges.Select(e => (e.From.Id, e.To.Id, e.Backward)).ToArray());
    }

    private sealed record PictureNode(Node Node, IReadOnlyList<string> Lines, bool IsGradient);

    private sealed record Picture(IReadOnlyList<PictureNode> Nodes, IReadOnlyList<(Node From, Node To, bool Backward)> Edges);

    private static Picture Build(Node output, Feed? feed, bool withBackward)
    {
        ArgumentNullException.ThrowIfNull(output);
        var forward = Graph.Order([output]);
        var backward = withBackward ? GradientNodes(forward, Gradients.Of(output, forward.OfType<Variable>())) : [];
        var shown = forward.Concat(backward).Where(n => n is not Constant { Name: null } || n.Shape.IsScalar).ToList();
        Evaluation? values = null;
        var gradientOf = new Dictionary<long, string>();
        if (feed is not null || forward.OfType<Input>().Count() == 0)
        {
            values = new EvaluationPlan(shown.Where(n => n is not Constant { Name: null }), compile: null) { ReuseBuffers = false, Fuse = false }.Run(feed);
            // Every node on the path from the variables to the output carries its gradient, intermediates included,
            // taken from the ledger so that the picture, the ledger and the stepper show the same numbers.
            foreach (var line in Backprop.Explain(output, feed).Backward) gradientOf.TryAdd(line.NodeId, line.Value);
        }
        var names = TeachingNames.For(shown);
        var nodes = new List<PictureNode>();
        foreach (var n in shown)
        {
            if (n is Constant { Name: null }) continue;   // numbers print inside the expressions that use them
            var lines = new List<string>(Folded(Title(n, names))) { n.Shape.ToString() };
            if (values is { } v) lines.AddRange(Wrapped("= " + Ledger.Format(v.Tensor(n), n.Shape)));
            // Named as the ledger names it (its own name, or t1, t2, … for an intermediate), so the two read alike.
            if (gradientOf.TryGetValue(n.Id, out var g)) lines.AddRange(Wrapped($"dJ/d{names[n]} = {g}"));
            nodes.Add(new PictureNode(n, lines, backward.Contains(n)));
        }
        var drawn = nodes.Select(p => p.Node).ToHashSet();
        var edges = new List<(Node, Node, bool)>();
        foreach (var n in drawn)
            foreach (var i in n.Inputs.Distinct())
                if (drawn.Contains(i)) edges.Add((i, n, backward.Contains(n)));
        return new Picture(nodes, edges);
    }

    /// <summary>
    /// The nodes of the gradient graph that are not in the forward one and that read a parameter, through the forward
    /// graph or another gradient node, other than the constants of the shape (m, 1/m). The others print inside the
    /// expressions that use them; drawn, one 1/m fanned out to every dW and db of a network and tangled it.
    /// </summary>
    private static List<Node> GradientNodes(List<Node> forward, IEnumerable<Node> gradients)
    {
        var readsParameter = Graph.DependingOn(forward, n => n is Variable);
        var nodes = new List<Node>();
        var ofShape = new HashSet<Node>();
        foreach (var n in Graph.Order(gradients).Where(n => !forward.Contains(n)))
        {
            // A count (m) is a constant of the shape, whatever it counts.
            if (n.Operation.Name == "Count" || n.Inputs.Count > 0 && n.Inputs.All(i => ofShape.Contains(i) || i is Constant)) ofShape.Add(n);
            else if (n.Inputs.Any(readsParameter.Contains))
            {
                readsParameter.Add(n);
                nodes.Add(n);
            }
        }
        return nodes;
    }

    /// <summary>
    /// A matrix's value on two lines, its shape and norm then its first elements, so that a box stays narrow
    /// enough for a network's layer to fit across a page; a number stays on one line.
    /// </summary>
    internal static IEnumerable<string> Wrapped(string line)
    {
        int at = line.IndexOf(", [", StringComparison.Ordinal);
        return at < 0 ? [line] : [line[..(at + 1)], line[(at + 2)..]];
    }

    /// <summary>The widest a box's line gets, in characters: a gradient's formula can run to hundreds.</summary>
    internal const int MaxLineLength = 60;

    /// <summary>
    /// <paramref name="text"/> in lines of at most <see cref="MaxLineLength"/> characters, broken after a space
    /// where there is one (continuations indented), so that one long formula cannot make a picture wider than a page.
    /// </summary>
    internal static IEnumerable<string> Folded(string text)
    {
        string indent = "";
        while (indent.Length + text.Length > MaxLineLength)
        {
            int room = MaxLineLength - indent.Length;
            int cut = text.LastIndexOf(' ', room - 1, room - 1) is > 0 and var space ? space + 1 : room;
            yield return indent + text[..cut].TrimEnd();
            text = text[cut..];
            indent = "  ";
        }
        yield return indent + text;
    }

    /// <summary>The node's title: a leaf's name and kind; for an operation its name (the ledger's t1, t2, … when it has none) and expression.</summary>
    private static string Title(Node n, Dictionary<Node, string> names) => n switch
    {
        Variable v => $"{v.Name} (variable)",
        Input i => $"{i.Name} (input)",
        { IsLeaf: true } => names[n],
        _ => $"{names[n]} = {Formula(n, names)}",
    };

    /// <summary>
    /// The node's formula as the course writes it (dZ1 = W2ᵀ·dZ2 * (1 - A1²)) when that fits on a line; else with
    /// its operands by the names their own boxes carry, as the ledger writes them (t9 = Sigmoid(t7)), since a
    /// gradient spelt out in full runs to hundreds of characters.
    /// </summary>
    private static string Formula(Node n, Dictionary<Node, string> names)
    {
        var full = NodeFormatter.Expression(n);
        return names[n].Length + 3 + full.Length <= MaxLineLength ? full
            : NodeFormatter.Print(n, i => names.TryGetValue(i, out var name) ? name : i.Name).Text;
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
