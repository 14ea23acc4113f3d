using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>The chain-rule ledger against the course's worked example and its logistic regression.</summary>
public class LedgerTests
{
    [Fact]
    public void TheCoursesComputationGraphIsWorkedLineByLine()
    {
        var ledger = Backprop.Explain(CourseGraph.Build().J);
        Assert.Equal(["a = 5", "b = 3", "c = 2", "u = b * c = 6", "v = a + u = 11", "J = 3 * v = 33"], ledger.Forward.Select(l => l.ToString()));
        Assert.Equal(
        [
            "dJ/dJ = 1",
            "dJ/dv = dJ/dJ · ∂J/∂v = dJ/dJ · 3 = 1 · 3 = 3",
            "dJ/du = dJ/dv · ∂v/∂u = dJ/dv · 1 = 3 · 1 = 3",
            "dJ/dc = dJ/du · ∂u/∂c = dJ/du · b = 3 · 3 = 9",
            "dJ/db = dJ/du · ∂u/∂b = dJ/du · c = 3 · 2 = 6",
            "dJ/da = dJ/dv · ∂v/∂a = dJ/dv · 1 = 3 · 1 = 3",
        ], ledger.Backward.Select(l => l.ToString()));
        Assert.Contains("| backward | `dJ/db` |", ledger.ToMarkdown());
    }

    [Fact]
    public void FanOutSumsTheContributionsAndTheTotalIsTheGradient()
    {
        var p = Graph.Variable("p", 2);
        var K = (p * p + Op.Tanh(p)).Named("K");
        var line = Backprop.Explain(K).Backward.Single(l => l.Name == "dJ/dp");
        Assert.Equal(3, line.Formula.Split(" = ")[0].Split(" + ").Length);   // p·p gives two terms, tanh one
        double expected = 2 * 2 + (1 - Math.Pow(Math.Tanh(2), 2));
        Assert.Equal(expected.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), line.Value);
        Assert.Equal(expected, Gradients.Of(K, p)[p].EvaluateScalar(), 12);
    }

    [Fact]
    public void LogisticRegressionReadsInTheCoursesTerms()
    {
        var net = Network.LogisticRegression(2);
        var x = DenseMatrix.OfArray(new double[,] { { 1, 2, -1 }, { 0.5, -1, 2 } });
        var y = DenseMatrix.OfArray(new double[,] { { 1, 0, 1 } });
        var ledger = Backprop.Explain(net.Cost, new Feed { { net.X, x }, { net.Y, y } });
        Assert.Contains(ledger.Forward, l => l.ToString() == "J = BinaryCrossEntropy(A1, Y) = 0.693147");
        Assert.Contains(ledger.Backward, l => l.Name == "dJ/dZ1" && l.Formula == "dJ/dJ / m * (A1 - Y)");
        Assert.Contains(ledger.Backward, l => l.Name == "dJ/db1" && l.Value == "-0.166667");   // (0.5 − 1 + 0.5 − 0 + 0.5 − 1)/3
    }

    [Fact]
    public void TheShallowNetworkAndAUserOperationAreWorkedThroughToTheGradients()
    {
        var softplus = new Elementwise("MySoftplus",
            (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = Math.Max(x[i], 0) + Math.Log(1 + Math.Exp(-Math.Abs(x[i]))); },
            derivative: (x, y) => Op.Sigmoid(x));
        var w = Graph.Variable("w", new double[,] { { 0.3, -0.7 } });
        var J = Op.Sum(softplus.Apply(w * 2.0)).Named("J");
        var line = Backprop.Explain(J).Backward.Single(l => l.Name == "dJ/dw");
        var expected = Gradients.Of(J, w)[w].Evaluate();
        Assert.StartsWith($"1×2, ‖·‖ = ", line.Value);
        Assert.Contains(expected[0, 0].ToString("G4", System.Globalization.CultureInfo.InvariantCulture), line.Value);

        var net = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh });
        var feed = new Feed { { net.X, DenseMatrix.OfArray(new double[,] { { 1, -1 }, { 0.5, 2 } }) }, { net.Y, DenseMatrix.OfArray(new double[,] { { 1, 0 } }) } };
        var ledger = Backprop.Explain(net.Cost, feed);
        Assert.Contains(ledger.Backward, l => l.Name == "dJ/dZ2" && l.Formula == "dJ/dJ / m * (A2 - Y)");
        Assert.Contains(ledger.Backward, l => l.Name == "dJ/dZ1" && l.Formula.StartsWith("dJ/dA1 · ∂A1/∂Z1 = dJ/dA1 · (1 - A1²)", StringComparison.Ordinal));
        foreach (var p in net.Parameters)
            Assert.Contains(ledger.Backward, l => l.Name == $"dJ/d{p.Name}");
    }
}
