using System.Globalization;
using System.Net;
using System.Text;
using GraphShape;
using GraphShape.Algorithms.Layout;
using QuikGraph;

namespace GraphDiff;

/// <summary>
/// A graph as a self-contained SVG (no Graphviz, no network): laid out top to bottom in layers by GraphShape's
/// Sugiyama algorithm, leaves as filled boxes, operations as rounded boxes, gradient nodes and backward edges
/// dashed in red, each node labelled with its expression, shape, value and gradient.
/// </summary>
public static class GraphSvg
{
    private const double LineHeight = 15, CharWidth = 7, Padding = 8, Margin = 20;

    /// <summary>The SVG of <paramref name="output"/>'s graph (see <see cref="GraphPicture.Draw"/> for what it shows).</summary>
    public static string Render(Node output, Feed? feed = null, bool withBackward = false) =>
        Render(GraphPicture.Draw(output, feed, withBackward));

    private static Dictionary<long, Point> Layout(IEnumerable<long> ids, IReadOnlyList<(long From, long To, bool Backward)> edges, Dictionary<long, Size> sizes, LayoutDirection direction)
    {
        // GraphShape's vertices are references: one boxed ordinal per node. Ordinals, not node ids: GraphShape's
        // result depends on its vertices' hash codes, and ids depend on what else the process built before, so
        // the same graph came out 1,560 px wide in one run and 2,010 px in another.
        var vertex = ids.Select((id, k) => (id, k)).ToDictionary(p => p.id, p => (object)p.k);
        var graph = new BidirectionalGraph<object, Edge<object>>();
        foreach (var v in vertex.Values) graph.AddVertex(v);
        foreach (var (from, to, _) in edges)
            if (vertex.TryGetValue(from, out var a) && vertex.TryGetValue(to, out var b)) graph.AddEdge(new Edge<object>(a, b));
        // Unconnected boxes (the gradients of J = 3(a + bc): db = 3c, dc = 3b) side by side: Sugiyama stacked them.
        if (graph.EdgeCount == 0) return Row(vertex.Keys, sizes);
        var layout = new SugiyamaLayoutAlgorithm<object, Edge<object>, BidirectionalGraph<object, Edge<object>>>(graph,
            vertex.ToDictionary(p => p.Value, p => sizes[p.Key]),
            new SugiyamaLayoutParameters { Direction = direction, LayerGap = 60, SliceGap = 20 });
        layout.Compute();
        return WithoutOverlaps(vertex.ToDictionary(p => p.Key, p => layout.VerticesPositions[p.Value]), sizes);
    }

    private static Dictionary<long, Point> Row(IEnumerable<long> ids, Dictionary<long, Size> sizes)
    {
        var centres = new Dictionary<long, Point>();
        double left = 0;
        foreach (var id in ids)
        {
            centres[id] = new Point(left + sizes[id].Width / 2, 0);
            left += sizes[id].Width + 20;
        }
        return centres;
    }

    /// <summary>
    /// The layout with no two boxes overlapping: GraphShape's Sugiyama now and then leaves two boxes of a large
    /// graph on top of each other (about one run of the test suite in ten here; not reproduced in isolation). Top
    /// to bottom, a box that overlaps one already placed moves down below it.
    /// </summary>
    internal static Dictionary<long, Point> WithoutOverlaps(Dictionary<long, Point> centres, Dictionary<long, Size> sizes)
    {
        const double gap = 8;
        var placed = new List<long>();
        foreach (var id in centres.Keys.OrderBy(id => centres[id].Y).ThenBy(id => centres[id].X).ToArray())
        {
            for (bool moved = true; moved;)
            {
                moved = false;
                var (c, size) = (centres[id], sizes[id]);
                foreach (var other in placed)
                {
                    var (o, osize) = (centres[other], sizes[other]);
                    bool overlap = Math.Abs(c.X - o.X) < (size.Width + osize.Width) / 2 && Math.Abs(c.Y - o.Y) < (size.Height + osize.Height) / 2 + gap;
                    if (!overlap) continue;
                    centres[id] = new Point(c.X, o.Y + (size.Height + osize.Height) / 2 + gap);
                    moved = true;
                    break;
                }
            }
            placed.Add(id);
        }
        return centres;
    }

    private static (double Left, double Right, double Top, double Bottom) Bounds(Dictionary<long, Point> centres, Dictionary<long, Size> sizes) =>
        (centres.Min(p => p.Value.X - sizes[p.Key].Width / 2), centres.Max(p => p.Value.X + sizes[p.Key].Width / 2),
         centres.Min(p => p.Value.Y - sizes[p.Key].Height / 2), centres.Max(p => p.Value.Y + sizes[p.Key].Height / 2));

    /// <summary>The SVG of a drawing.</summary>
    internal static string Render(GraphDrawing drawing) => Render(drawing, (_, _) => null);

    /// <summary>Said once under the forward graph when the gradient graph is drawn: which of the two dZ2 a box shows.</summary>
    private static readonly string[] Legend =
    [
        "Dashed: backprop as the course writes it. dZ there is m·∂J/∂Z for a mean cost",
        "(the 1/m stays in front of dW and db); dJ/d· on a box is the derivative itself.",
    ];

    /// <summary>
    /// The SVG of a drawing, line k of node id given the class <paramref name="lineClass"/>(id, k) (none when
    /// null): the stepper hides a node's value and gradient lines until their step.
    /// </summary>
    internal static string Render(GraphDrawing drawing, Func<long, int, string?> lineClass)
    {
        ArgumentNullException.ThrowIfNull(drawing);
        var sizes = drawing.Nodes.ToDictionary(n => n.Id, n => new Size(n.Lines.Max(l => l.Length) * CharWidth + 2 * Padding, n.Lines.Count * LineHeight + 2 * Padding));
        // Top to bottom, so that a network's layers stack down the page and its width is that of its widest layer
        // (left to right, the 2-4-1 network was 3,400 px wide). The gradient graph is laid out on its own, below
        // the forward one and centred under it: the forward pass reads down to J, then the backward pass down from
        // dJ/dJ to the parameters.
        var gradient = drawing.Nodes.Where(n => n.IsGradient).Select(n => n.Id).ToHashSet();
        var centre = Layout(drawing.Nodes.Where(n => !n.IsGradient).Select(n => n.Id), drawing.Edges, sizes, LayoutDirection.TopToBottom);
        if (gradient.Count > 0)
        {
            var below = Layout(gradient, drawing.Edges, sizes, LayoutDirection.TopToBottom);
            var (forward, back) = (Bounds(centre, sizes), Bounds(below, sizes));
            double dx = (forward.Left + forward.Right - back.Left - back.Right) / 2, dy = forward.Bottom - back.Top + 80;
            foreach (var (id, p) in below) centre[id] = new Point(p.X + dx, p.Y + dy);
        }
        double minX = drawing.Nodes.Min(n => centre[n.Id].X - sizes[n.Id].Width / 2), minY = drawing.Nodes.Min(n => centre[n.Id].Y - sizes[n.Id].Height / 2);
        double maxX = drawing.Nodes.Max(n => centre[n.Id].X + sizes[n.Id].Width / 2), maxY = drawing.Nodes.Max(n => centre[n.Id].Y + sizes[n.Id].Height / 2);
        // The two conventions side by side need saying once: a dashed dZ2 = A2 − Y is m times the dJ/dZ2 on Z2's box.
        string[] legend = gradient.Count > 0 ? Legend : [];
        maxX = Math.Max(maxX, minX + legend.Select(l => l.Length * CharWidth).DefaultIfEmpty(0).Max());
        double legendTop = gradient.Count > 0 ? drawing.Nodes.Where(n => !n.IsGradient).Max(n => centre[n.Id].Y + sizes[n.Id].Height / 2) + 22 : 0;
        double X(double x) => x - minX + Margin;
        double Y(double y) => y - minY + Margin;

        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{maxX - minX + 2 * Margin:F0}\" height=\"{maxY - minY + 2 * Margin:F0}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">").AppendLine();
        sb.AppendLine("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>");
        foreach (var (from, to, backward) in drawing.Edges)
        {
            // A forward value read by a gradient node is named in the node's formula; drawn as an edge across the
            // forward graph, each made the backward view a tangle.
            if (gradient.Contains(from) != gradient.Contains(to)) continue;
            var (a, b) = (centre[from], centre[to]);
            // From the bottom of the operand to the top of its consumer (or the other way, if the layout put the consumer above).
            double down = b.Y >= a.Y ? 1 : -1;
            double x1 = X(a.X), y1 = Y(a.Y + down * sizes[from].Height / 2), x2 = X(b.X), y2 = Y(b.Y - down * sizes[to].Height / 2), mid = (y1 + y2) / 2;
            string d = string.Create(inv, $"M{x1:F1},{y1:F1} C{x1:F1},{mid:F1} {x2:F1},{mid:F1} {x2:F1},{y2:F1}");
            string stroke = backward ? "#c0392b" : "#555";
            sb.Append(inv, $"<path class=\"edge\" d=\"{d}\" fill=\"none\" stroke=\"{stroke}\"{(backward ? " stroke-dasharray=\"5,3\"" : "")} marker-end=\"url(#arrow)\"/>").AppendLine();
        }
        foreach (var n in drawing.Nodes)
        {
            var (c, size) = (centre[n.Id], sizes[n.Id]);
            double left = X(c.X - size.Width / 2), top = Y(c.Y - size.Height / 2);
            string fill = n.IsLeaf ? "#eef3fb" : "#ffffff", stroke = n.IsGradient ? "#c0392b" : "#34495e";
            sb.Append(inv, $"<g class=\"node\" id=\"n{n.Id}\"><rect x=\"{left:F1}\" y=\"{top:F1}\" width=\"{size.Width:F1}\" height=\"{size.Height:F1}\" rx=\"{(n.IsLeaf ? 2 : 10)}\" fill=\"{fill}\" stroke=\"{stroke}\"{(n.IsGradient ? " stroke-dasharray=\"5,3\"" : "")}/>");
            for (int k = 0; k < n.Lines.Count; k++)
                sb.Append(inv, $"<text x=\"{left + Padding:F1}\" y=\"{top + Padding + (k + 0.8) * LineHeight:F1}\"{(k == 0 ? " font-weight=\"bold\"" : "")}{(lineClass(n.Id, k) is { } css ? $" class=\"{css}\"" : "")}>{WebUtility.HtmlEncode(n.Lines[k])}</text>");
            sb.AppendLine("</g>");
        }
        for (int k = 0; k < legend.Length; k++)
            sb.Append(inv, $"<text class=\"legend\" x=\"{Margin:F1}\" y=\"{Y(legendTop) + k * LineHeight:F1}\" fill=\"#c0392b\">{WebUtility.HtmlEncode(legend[k])}</text>").AppendLine();
        sb.AppendLine("</svg>");
        return sb.ToString();
    }
}
