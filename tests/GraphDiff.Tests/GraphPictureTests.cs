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
    public void DotShowsEveryNodeWithItsValueAndEveryVariableWithItsGradient()
    {
        var (J, u) = Course();
        var dot = GraphPicture.ToDot(J);
        Assert.StartsWith("digraph GraphDiff {", dot);
        Assert.Contains("label=\"u = b * c\\n1×1\\n= 6\"", dot);
        Assert.Contains("b (variable)\\n1×1\\n= 3\\ndJ/db = 6", dot);
        Assert.Contains("J = 3 * v\\n1×1\\n= 33", dot);
        Assert.Contains($"n{u.Inputs[0].Id} -> n{u.Id};", dot);
        Assert.Equal(5, dot.Split('\n').Count(l => l.Contains(" -> ")));   // b→u, c→u, a→v, u→v, v→J (the constant 3 prints inline)
        Assert.DoesNotContain("style=dashed", dot);
        var both = GraphPicture.ToDot(J, withBackward: true);
        Assert.Contains("style=dashed", both);
        Assert.Contains("db = 3 * c", both);
        Assert.Contains("dir=back", both);   // backward edges ranked right to left
    }

    [Fact]
    public void MermaidIsAFlowchartWithTheSameNodesAndEdges()
    {
        var (J, _) = Course();
        var mermaid = GraphPicture.ToMermaid(J);
        Assert.StartsWith("flowchart LR", mermaid);
        Assert.Equal(5, mermaid.Split('\n').Count(l => l.Contains(" --> ")));
        Assert.Contains("u = b * c<br/>1×1<br/>= 6", mermaid);
    }
}
