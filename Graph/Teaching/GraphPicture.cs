using System.Globalization;
using System.Text;

namespace GraphDiff;

/// <summary>
/// Pictures of a graph as text for Graphviz (DOT) and Mermaid: leaves as boxes, operations as ellipses, each
/// labelled with its name or expression and shape — and, when values are given, its value and its gradient
/// dJ/d·. The gradient graph can be drawn beside the forward one, its edges dashed and pointing right to left,
/// the way the chain rule flows.
/// </summary>
public static class GraphPicture
{
    /// <summary>
    /// The graph of <paramref name="output"/> in Graphviz DOT (render with <c>dot -Tsvg</c>). With a
    /// <paramref name="feed"/> (or no inputs), every node shows its value and its gradient; with
    /// <paramref name="withBackward"/>, the gradient nodes of every variable are drawn too.
    /// </summary>
    public static string ToDot(Node output, Feed? feed = null, bool withBackward = false)
    {
        var picture = Build(output, feed, withBackward);
        var sb = new StringBuilder();
        sb.AppendLine("digraph GraphDiff {");
        sb.AppendLine("  rankdir=LR; node [fontname=\"Helvetica\", fontsize=11];");
        foreach (var n in picture.Nodes)
        {
            string shape = n.Node.IsLeaf ? "box" : "ellipse";
            string style = n.IsGradient ? ", style=dashed, color=\"#c0392b\"" : n.Node.IsLeaf ? ", style=filled, fillcolor=\"#eef3fb\"" : "";
            sb.AppendLine($"  n{n.Node.Id} [shape={shape}{style}, label=\"{Escape(string.Join("\n", n.Lines))}\"];");
        }
        // A backward edge is written reversed with dir=back: the same arrow, but ranked so that the gradient graph
        // reads right to left, from the output back to the parameters.
        foreach (var (from, to, backward) in picture.Edges)
            sb.AppendLine(backward ? $"  n{to.Id} -> n{from.Id} [dir=back, style=dashed, color=\"#c0392b\"];" : $"  n{from.Id} -> n{to.Id};");
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>The same picture as a Mermaid flowchart (GitHub renders it in Markdown).</summary>
    public static string ToMermaid(Node output, Feed? feed = null, bool withBackward = false)
    {
        var picture = Build(output, feed, withBackward);
        var sb = new StringBuilder();
        sb.AppendLine("flowchart LR");
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
    /// What a picture shows, for renderers of other formats (the SVG of GraphDiff.Plots): each node with its
    /// text lines, whether it is a leaf and whether it belongs to the gradient graph; each edge from operand to
    /// consumer, marked when it belongs to the backward pass.
    /// </summary>
    public static GraphDrawing Draw(Node output, Feed? feed = null, bool withBackward = false)
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
        var forward = Topology.Order([output]);
        var variables = forward.OfType<Variable>().ToArray();
        var gradients = Gradients.Of(output, variables);
        var backward = withBackward ? Topology.Order(gradients).Where(n => !forward.Contains(n)).ToList() : [];
        var shown = forward.Concat(backward).Where(n => n is not Constant { Name: null } || n.Shape.IsScalar).ToList();
        Evaluation? values = null, grads = null;
        bool fed = feed is not null || forward.OfType<Input>().Count() == 0;
        if (fed)
        {
            values = new EvaluationPlan(shown.Where(n => n is not Constant { Name: null }), compile: null) { ReuseBuffers = false, Fuse = false }.Run(feed);
            grads = new EvaluationPlan(gradients).Run(feed);
        }
        var gradientOf = variables.Zip(gradients).ToDictionary(p => (Node)p.First, p => p.Second);
        var names = TeachingNames.For(shown);
        var nodes = new List<PictureNode>();
        foreach (var n in shown)
        {
            if (n is Constant { Name: null }) continue;   // numbers print inside the expressions that use them
            var lines = new List<string> { Title(n, names[n]), n.Shape.ToString() };
            if (values is { } v) lines.Add("= " + Ledger.Format(v.Tensor(n)));
            if (grads is { } gr && gradientOf.TryGetValue(n, out var g)) lines.Add($"dJ/d{n.Label} = {Ledger.Format(gr.Tensor(g))}");
            nodes.Add(new PictureNode(n, lines, backward.Contains(n)));
        }
        var drawn = nodes.Select(p => p.Node).ToHashSet();
        var edges = new List<(Node, Node, bool)>();
        foreach (var n in drawn)
            foreach (var i in n.Inputs.Distinct())
                if (drawn.Contains(i)) edges.Add((i, n, backward.Contains(n)));
        return new Picture(nodes, edges);
    }

    /// <summary>The node's title: a leaf's name and kind; for an operation its name (the ledger's t1, t2, … when it has none) and expression.</summary>
    private static string Title(Node n, string name) => n switch
    {
        Variable v => $"{v.Name} (variable)",
        Input i => $"{i.Name} (input)",
        { IsLeaf: true } => name,
        _ => $"{name} = {NodeFormatter.Print(n, i => i.Name, NodeFormatter.ExpressionLength).Text}",
    };

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
