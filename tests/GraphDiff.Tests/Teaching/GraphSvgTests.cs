using System.Xml.Linq;
using GraphDiff.Nn;

namespace GraphDiff.Tests.Nn;

/// <summary>The self-contained SVG picture: well-formed, every node and edge drawn, no two boxes overlapping.</summary>
public class GraphSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void TheCoursesGraphIsDrawnWithValuesAndGradients()
    {
        var svg = XDocument.Parse(GraphSvg.Render(CourseGraph.Build().J));
        var nodes = svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "node").ToArray();
        Assert.Equal(6, nodes.Length);   // a, b, c, u, v, J (the constant 3 prints inside J's expression)
        Assert.Equal(5, svg.Descendants(Svg + "path").Count(p => (string?)p.Attribute("class") == "edge"));
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToArray();
        Assert.Contains("u = b * c", texts);
        Assert.Contains("dJ/db = 6", texts);
        Assert.Contains("= 33", texts);
    }

    [Fact]
    public void TheSameGraphBuiltTwiceIsDrawnTheSame()
    {
        // Node ids differ between the two builds (and with whatever else the process built); the layout must not.
        string Drawn()
        {
            var net = Network.Create([2, 20, 7, 5, 1], new NetworkOptions { Seed = 2 });
            var flower = Dataset.Flower(m: 6);
            var svg = GraphSvg.Render(net.Cost, new Feed { { net.X, flower.X }, { net.Y, flower.Y } }, withBackward: true);
            return System.Text.RegularExpressions.Regex.Replace(svg, "id=\"n[0-9]+\"", "id");
        }
        var first = Drawn();
        for (int k = 0; k < 50; k++) Graph.Variable("unrelated", k);   // move the next ids along
        Assert.Equal(first, Drawn());
    }

    [Fact]
    public void TwoHundredNodesAreLaidOutWithoutOverlap()
    {
        var x = Graph.Variable("x", 0.3);
        var nodes = new List<Node> { x };
        var random = new Random(5);
        while (nodes.Count < 200)
        {
            var a = nodes[random.Next(nodes.Count)];
            nodes.Add(random.Next(3) == 0 ? Op.Tanh(a) : a * nodes[random.Next(nodes.Count)]);
        }
        var cost = nodes.Skip(150).Aggregate((p, q) => p + q);
        var svg = XDocument.Parse(GraphSvg.Render(cost, withBackward: false));
        var boxes = svg.Descendants(Svg + "rect").Select(r => (X: (double)r.Attribute("x")!, Y: (double)r.Attribute("y")!, W: (double)r.Attribute("width")!, H: (double)r.Attribute("height")!)).ToArray();
        Assert.True(boxes.Length >= 200, $"{boxes.Length} boxes");
        for (int i = 0; i < boxes.Length; i++)
            for (int j = i + 1; j < boxes.Length; j++)
            {
                var (p, q) = (boxes[i], boxes[j]);
                bool overlap = p.X < q.X + q.W && q.X < p.X + p.W && p.Y < q.Y + q.H && q.Y < p.Y + p.H;
                Assert.False(overlap, $"boxes {i} and {j} overlap");
            }
    }

    [Fact]
    public void OverlappingBoxesFromTheLayoutAreMovedApart()
    {
        // Three boxes where a layout might leave them: two on top of each other, one overlapping both.
        var centres = new Dictionary<long, GraphShape.Point> { [1] = new(0, 0), [2] = new(10, 5), [3] = new(-20, 12), [4] = new(500, 0) };
        var sizes = centres.Keys.ToDictionary(k => k, _ => new GraphShape.Size(80, 30));
        var result = GraphSvg.WithoutOverlaps(new Dictionary<long, GraphShape.Point>(centres), sizes);
        foreach (var a in result.Keys)
            foreach (var b in result.Keys.Where(b => b > a))
            {
                var (p, q) = (result[a], result[b]);
                Assert.False(Math.Abs(p.X - q.X) < 80 && Math.Abs(p.Y - q.Y) < 30, $"boxes {a} and {b} still overlap");
            }
        Assert.Equal(centres[4], result[4]);   // a box that overlapped nothing stays where it was
        Assert.Equal(centres[1], result[1]);   // the topmost of the pile stays too
    }

    [Fact]
    public void LongFormulasAreFoldedSoThatNoBoxIsWiderThanSixtyCharacters()
    {
        // A chain of operations whose backward formulas run long, drawn with them, as a learner's own graph is.
        var w = Graph.Variable("w", 0.4);
        Node z = w;
        for (int k = 0; k < 6; k++) z = Op.Tanh(z * w + Op.Sigmoid(z) * Op.Softplus(z - w));
        var J = Op.Square(z);
        var svg = XDocument.Parse(GraphSvg.Render(J, withBackward: true));
        var longest = svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "node").SelectMany(g => g.Descendants(Svg + "text")).MaxBy(t => t.Value.Length)!.Value;
        Assert.True(longest.Length <= 60, $"a line of {longest.Length} characters: {longest}");
        Assert.All(svg.Descendants(Svg + "rect"), r => Assert.True((double)r.Attribute("width")! <= 60 * 7 + 16, $"a box {r.Attribute("width")!.Value} px wide"));

        // A learner's small graph with long backward formulas (two rounds) fits a page: a box refers to the boxes
        // its operands have (t9 = Sigmoid(t7)) once the formula spelt out would not fit on a line.
        Node y = w;
        for (int k = 0; k < 2; k++) y = Op.Tanh(y * w + Op.Sigmoid(y) * Op.Softplus(y - w));
        var small = XDocument.Parse(GraphSvg.Render(Op.Square(y), withBackward: true));
        Assert.True((double)small.Root!.Attribute("width")! <= 1600, $"the picture is {small.Root!.Attribute("width")!.Value} px wide");
        Assert.Contains(small.Descendants(Svg + "text"), t => t.Value.StartsWith("t11 = Softplus(t10)", StringComparison.Ordinal));

        var folded = GraphPicture.Folded(new string('x', 30) + " " + new string('y', 50) + " " + new string('z', 130)).ToArray();
        Assert.All(folded, line => Assert.True(line.Length <= 60, line));
        Assert.Equal(new string('x', 30) + new string('y', 50) + new string('z', 130), string.Concat(folded.Select(l => l.Trim())));
    }
}
