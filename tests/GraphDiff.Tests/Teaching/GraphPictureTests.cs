namespace GraphDiff.Tests;

/// <summary>Graph pictures as DOT and Mermaid text, for the course's J = 3(a + bc).</summary>
public class GraphPictureTests
{
    private static (Node J, Node U) Course()
    {
        var graph = CourseGraph.Build();
        return (graph.J, graph.U);
    }

    [Fact]
    public void DotShowsEveryNodeWithItsValueAndItsGradient()
    {
        var (J, u) = Course();
        var dot = GraphPicture.ToDot(J);
        Assert.StartsWith("digraph GraphDiff {", dot);
        Assert.Contains("label=\"u = b * c\\n1×1\\n= 6\\ndJ/du = 3\"", dot);
        Assert.Contains("b (variable)\\n1×1\\n= 3\\ndJ/db = 6", dot);
        Assert.Contains("J = 3 * v\\n1×1\\n= 33", dot);
        Assert.Contains($"n{u.Inputs[0].Id} -> n{u.Id};", dot);
        Assert.Equal(5, dot.Split('\n').Count(l => l.Contains(" -> ")));   // b→u, c→u, a→v, u→v, v→J (the constant 3 prints inline)
        Assert.DoesNotContain("style=dashed", dot);
        var both = GraphPicture.ToDot(J, withBackward: true);
        Assert.Contains("style=dashed", both);
        Assert.Contains("db = 3 * c", both);
        Assert.Contains("[style=dashed, color=", both);   // backward edges dashed, ranked below the forward graph
    }

    [Fact]
    public void EveryNodeOnThePathCarriesItsGradientIntermediatesIncluded()
    {
        // micrograd's draw_dot shows a gradient on every node; the course's graph has dJ/du = 3 on u and dJ/dv = 3 on v.
        var (J, _) = Course();
        var dot = GraphPicture.ToDot(J);
        Assert.Contains("u = b * c\\n1×1\\n= 6\\ndJ/du = 3\"", dot);
        Assert.Contains("v = a + u\\n1×1\\n= 11\\ndJ/dv = 3\"", dot);
        Assert.Contains("J = 3 * v\\n1×1\\n= 33\\ndJ/dJ = 1\"", dot);
    }

    [Fact]
    public void ANetworksIntermediatesCarryTheLedgersGradients()
    {
        var net = GraphDiff.Nn.Network.Create([2, 4, 1], new GraphDiff.Nn.NetworkOptions { Hidden = GraphDiff.Nn.Activation.Tanh, Seed = 2 });
        var flower = GraphDiff.Nn.Dataset.Flower();
        var feed = new Feed { { net.X, flower.X.SubMatrix(0, 2, 0, 5) }, { net.Y, flower.Y.SubMatrix(0, 1, 0, 5) } };
        var drawing = GraphPicture.Draw(net.Cost, feed);
        var ledger = Backprop.Explain(net.Cost, feed);
        foreach (var name in new[] { "Z1", "A1", "Z2" })
        {
            var line = ledger.Backward.Single(l => l.Name == $"dJ/d{name}");
            var node = drawing.Nodes.Single(n => n.Id == line.NodeId);
            // A long value is wrapped after its norm; the picture's lines, joined, are the ledger's value.
            int at = node.Lines.ToList().FindIndex(l => l.StartsWith($"dJ/d{name} = ", StringComparison.Ordinal));
            Assert.True(at > 0, $"{name} carries no gradient: {string.Join(" | ", node.Lines)}");
            Assert.Equal($"dJ/d{name} = {line.Value}", string.Join(" ", node.Lines.Skip(at)));
        }
    }

    [Fact]
    public void MermaidIsAFlowchartWithTheSameNodesAndEdges()
    {
        var (J, _) = Course();
        var mermaid = GraphPicture.ToMermaid(J);
        Assert.StartsWith("flowchart TB", mermaid);
        Assert.Equal(5, mermaid.Split('\n').Count(l => l.Contains(" --> ")));
        Assert.Contains("u = b * c<br/>1×1<br/>= 6<br/>dJ/du = 3", mermaid);
    }
}
