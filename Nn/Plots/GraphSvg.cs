using System.Globalization;
using System.Net;
using System.Text;
using GraphShape;
using GraphShape.Algorithms.Layout;
using QuikGraph;

namespace GraphDiff.Nn;

/// <summary>
/// A graph as a self-contained SVG (no Graphviz, no network): laid out left to right in layers by GraphShape's
/// Sugiyama algorithm, leaves as filled boxes, operations as rounded boxes, gradient nodes and backward edges
/// dashed in red, each node labelled with its expression, shape, value and gradient.
/// </summary>
public static class GraphSvg
{
    private const double LineHeight = 15, CharWidth = 7, Padding = 8, Margin = 20;

    /// <summary>The SVG of <paramref name="output"/>'s graph (see <see cref="GraphPicture.Draw"/> for what it shows).</summary>
    public static string Render(Node output, Feed? feed = null, bool withBackward = false) =>
        Render(GraphPicture.Draw(output, feed, withBackward));

    /// <summary>The SVG of a drawing.</summary>
    public static string Render(GraphDrawing drawing)
    {
        ArgumentNullException.ThrowIfNull(drawing);
        // GraphShape's vertices are references: one boxed id per node.
        var vertex = drawing.Nodes.ToDictionary(n => n.Id, n => (object)n.Id);
        var graph = new BidirectionalGraph<object, Edge<object>>();
        foreach (var n in drawing.Nodes) graph.AddVertex(vertex[n.Id]);
        foreach (var (from, to, _) in drawing.Edges) graph.AddEdge(new Edge<object>(vertex[from], vertex[to]));
        var sizes = drawing.Nodes.ToDictionary(n => n.Id, n => new Size(n.Lines.Max(l => l.Length) * CharWidth + 2 * Padding, n.Lines.Count * LineHeight + 2 * Padding));
        var layout = new SugiyamaLayoutAlgorithm<object, Edge<object>, BidirectionalGraph<object, Edge<object>>>(graph,
            drawing.Nodes.ToDictionary(n => vertex[n.Id], n => sizes[n.Id]),
            new SugiyamaLayoutParameters { Direction = LayoutDirection.LeftToRight, LayerGap = 60, SliceGap = 20 });
        layout.Compute();
        var centre = drawing.Nodes.ToDictionary(n => n.Id, n => layout.VerticesPositions[vertex[n.Id]]);
        double minX = drawing.Nodes.Min(n => centre[n.Id].X - sizes[n.Id].Width / 2), minY = drawing.Nodes.Min(n => centre[n.Id].Y - sizes[n.Id].Height / 2);
        double maxX = drawing.Nodes.Max(n => centre[n.Id].X + sizes[n.Id].Width / 2), maxY = drawing.Nodes.Max(n => centre[n.Id].Y + sizes[n.Id].Height / 2);
        double X(double x) => x - minX + Margin;
        double Y(double y) => y - minY + Margin;

        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{maxX - minX + 2 * Margin:F0}\" height=\"{maxY - minY + 2 * Margin:F0}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">").AppendLine();
        sb.AppendLine("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>");
        foreach (var (from, to, backward) in drawing.Edges)
        {
            var (a, b) = (centre[from], centre[to]);
            double x1 = X(a.X + sizes[from].Width / 2), y1 = Y(a.Y), x2 = X(b.X - sizes[to].Width / 2), y2 = Y(b.Y), mid = (x1 + x2) / 2;
            sb.Append(inv, $"<path class=\"edge\" d=\"M{x1:F1},{y1:F1} C{mid:F1},{y1:F1} {mid:F1},{y2:F1} {x2:F1},{y2:F1}\" fill=\"none\" stroke=\"{(backward ? "#c0392b" : "#555")}\"{(backward ? " stroke-dasharray=\"5,3\"" : "")} marker-end=\"url(#arrow)\"/>").AppendLine();
        }
        foreach (var n in drawing.Nodes)
        {
            var (c, size) = (centre[n.Id], sizes[n.Id]);
            double left = X(c.X - size.Width / 2), top = Y(c.Y - size.Height / 2);
            string fill = n.IsLeaf ? "#eef3fb" : "#ffffff", stroke = n.IsGradient ? "#c0392b" : "#34495e";
            sb.Append(inv, $"<g class=\"node\" id=\"n{n.Id}\"><rect x=\"{left:F1}\" y=\"{top:F1}\" width=\"{size.Width:F1}\" height=\"{size.Height:F1}\" rx=\"{(n.IsLeaf ? 2 : 10)}\" fill=\"{fill}\" stroke=\"{stroke}\"{(n.IsGradient ? " stroke-dasharray=\"5,3\"" : "")}/>");
            for (int k = 0; k < n.Lines.Count; k++)
                sb.Append(inv, $"<text x=\"{left + Padding:F1}\" y=\"{top + Padding + (k + 0.8) * LineHeight:F1}\"{(k == 0 ? " font-weight=\"bold\"" : "")}>{WebUtility.HtmlEncode(n.Lines[k])}</text>");
            sb.AppendLine("</g>");
        }
        sb.AppendLine("</svg>");
        return sb.ToString();
    }
}
