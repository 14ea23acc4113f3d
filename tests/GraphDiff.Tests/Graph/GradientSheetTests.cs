namespace GraphDiff.Tests;

/// <summary>
/// The gradient sheet (<see cref="GradientSet.ToString"/>): one line per requested node, labelled by that node,
/// whatever the graph; no label used twice for two different things.
/// </summary>
public class GradientSheetTests
{
    private static string[] Lines(GradientSet sheet) => sheet.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Labels(GradientSet sheet) => Lines(sheet).Where(l => l.Contains(" = ") && !l.StartsWith('(')).Select(l => l[..l.IndexOf(" = ", StringComparison.Ordinal)]).ToArray();

    [Fact]
    public void TwoResultsThatAreTheSameNodeEachGetTheirOwnLine()
    {
        var a = Graph.Variable("a", 2);
        var b = Graph.Variable("b", 3);
        var sheet = Gradients.Of((a + b).Named("J"), a, b);
        Assert.Equal(["da = 1", "db = 1"], Lines(sheet));
    }

    [Fact]
    public void AGradientThatIsALeafIsLabelledByTheNodeItDifferentiates()
    {
        var a = Graph.Variable("a", 2);
        var b = Graph.Variable("b", 3);
        var c = Graph.Variable("c", 4);
        var sheet = Gradients.Of((a * b + c).Named("J"), a, b, c);
        Assert.Equal(["da = b", "db = a", "dc = 1"], Lines(sheet));
    }

    [Fact]
    public void AnIntermediateAskedForIsNamedApartFromTheCoursesDz()
    {
        var net = GraphDiff.Nn.Network.LogisticRegression(2);
        var layer = net.Layers[0];
        var sheet = Gradients.Of(net.Cost, net.Scores, layer.W, layer.B);
        var labels = Labels(sheet);
        Assert.Equal(labels.Length, labels.Distinct().Count());
        var lines = Lines(sheet);
        // The course's dZ1 (without the 1/m) and the derivative ∂J/∂Z1 (with it) are two lines with two labels.
        Assert.Contains(lines, l => l.StartsWith("dZ1 = ", StringComparison.Ordinal) && !l.Contains("/ m", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("∂J/∂Z1 = ", StringComparison.Ordinal) && l.Contains("dZ1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("dW1 = ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("db1 = ", StringComparison.Ordinal));
        // The two conventions are told apart once, in the sheet.
        Assert.Single(lines, l => l.Contains("m·∂J/∂", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoNodesWithTheSameNameGetTwoLabels()
    {
        var first = Graph.Variable("w", 2);
        var second = Graph.Variable("w", 3);
        var labels = Labels(Gradients.Of((first * second).Named("J"), first, second));
        Assert.Equal(2, labels.Distinct().Count());
    }

    [Fact]
    public void AnUnnamedIntermediateIsLabelledByItsParenthesisedExpression()
    {
        var a = Graph.Variable("a", 2);
        var b = Graph.Variable("b", 3);
        var u = a * b;
        var sheet = Gradients.Of(Op.Tanh(u).Named("J"), u, a);
        Assert.StartsWith("d(a * b) = ", Lines(sheet)[0]);
    }
}
