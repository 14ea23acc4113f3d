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
    public void AnIntermediateAskedForUnderItsOwnLabelIsDefinedOnce()
    {
        // CONV → RELU → POOL → dense, a mean cost: dZ1 is shared by dW1 and db1, and asked for.
        var x = Graph.Input("X", Shape.Of(8, 8, 1, Shape.Batch));
        var w1 = Graph.Variable("W1", Shape.Of(3, 3, 1, 4), MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(9, 4, (i, j) => (i - j) * 0.1));
        var b1 = Graph.Variable("b1", MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(4, 1, 0.0));
        var z1 = Op.Conv2D(x, w1, b1, padding: 1).Named("Z1");
        var p1 = Op.MaxPool2D(Op.ReLU(z1).Named("A1"), 2).Named("P1");
        var w2 = Graph.Variable("W2", MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(1, 64, (i, j) => j * 0.01));
        var cost = Op.Mean(Op.Square(Op.MatMul(w2, Op.Flatten(p1)).Named("Z2")));
        var lines = Lines(Gradients.Of(cost, p1, z1, w1, b1));
        Assert.Single(lines, line => line.StartsWith("dZ1 = ", StringComparison.Ordinal));
        // The mean's scale comes out of the pool's scatter and the convolution's gradients, as out of a dense layer's
        // products: dZ1 and dP1 are m·∂J/∂·, as dZ is for a dense layer, and say so.
        Assert.Equal(
            [
                "dP1 = Reshape(W2ᵀ·Z2, 4×4×4×m)",
                "∂J/∂P1 = 2 / size(Z2²) * dP1",
                "dZ1 = MaxPool2DScatter(A1, dP1, 2×2, stride 2) * Step(Z1)",
                "∂J/∂Z1 = 2 / size(Z2²) * dZ1",
                "dW1 = 2 / size(Z2²) * Conv2DKernelGradient(X, dZ1, pad 1)",
                "db1 = 2 / size(Z2²) * Conv2DBiasGradient(dZ1, pad 1)",
            ], lines.Where(line => !line.StartsWith('(')));
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
