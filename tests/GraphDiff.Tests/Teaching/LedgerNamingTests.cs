using System.Text.RegularExpressions;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// The ledger names every node it uses: week 2's logistic regression written by hand (no names inside the cost)
/// gets t1, t2, … that the forward listing defines, the backward listing uses and the picture's titles show, and
/// a backward line for every node on the path, dJ/da included.
/// </summary>
public partial class LedgerNamingTests
{
    private static (Node J, Variable W, Variable B, Feed Feed) WeekTwoByHand()
    {
        var X = Graph.Input("X", 2);
        var Y = Graph.Input("Y", 1);
        var w = Graph.Variable("w", new double[,] { { 0.1 }, { -0.2 } });
        var b = Graph.Variable("b", 0.0);
        var z = (Op.MatMul(w, true, X, false) + b).Named("z");
        var a = Op.Sigmoid(z).Named("a");
        var one = Graph.Constant(1.0);
        var J = Op.Mean(-(Y * Op.Log(a) + (one - Y) * Op.Log(one - a))).Named("J");
        var feed = new Feed
        {
            { X, DenseMatrix.OfArray(new double[,] { { 1, 2, -1 }, { 0.5, -1, 2 } }) },
            { Y, DenseMatrix.OfArray(new double[,] { { 1, 0, 1 } }) },
        };
        return (J, w, b, feed);
    }

    [GeneratedRegex(@"dJ/d([^\s·=+(),ᵀ]+)|∂([^\s/]+)/∂([^\s·=+(),ᵀ]+)")]
    private static partial Regex NamesUsed();

    [Fact]
    public void EveryNodeTheBackwardListingNamesIsDefinedInTheForwardListing()
    {
        var (J, _, _, feed) = WeekTwoByHand();
        var ledger = Backprop.Explain(J, feed);
        var defined = ledger.Forward.Select(l => l.Name).ToHashSet();
        foreach (var line in ledger.Backward)
        {
            Assert.DoesNotContain("%", line.ToString());
            Assert.DoesNotContain("fill(", line.ToString());   // a local derivative of numbers reads as its number
            foreach (Match m in NamesUsed().Matches(line.ToString()))
                foreach (var g in m.Groups.Cast<Group>().Skip(1).Where(g => g.Success))
                    Assert.True(defined.Contains(g.Value), $"{g.Value} (in \"{line}\") is not in the forward listing");
        }
        Assert.Contains(ledger.Backward, l => l.Name == "dJ/da");
        Assert.Contains(ledger.Backward, l => l.Name == "dJ/dz");
    }

    [Fact]
    public void TheBackwardListingHasALineForEveryNodeOnThePathWithTheGraphsGradients()
    {
        var (J, w, b, feed) = WeekTwoByHand();
        var ledger = Backprop.Explain(J, feed);
        // On the path: w, b and every node that reads them (1 − y reads neither).
        var onPath = new HashSet<Node> { w, b };
        foreach (var n in Graph.Order([J]))
            if (n.Inputs.Any(onPath.Contains)) onPath.Add(n);
        var backward = ledger.Backward.Select(l => l.NodeId).ToHashSet();
        var missing = ledger.Forward.Where(l => onPath.Any(n => n.Id == l.NodeId) && !backward.Contains(l.NodeId)).Select(l => l.Name).ToArray();
        Assert.True(missing.Length == 0, $"no backward line for {string.Join(", ", missing)}");
        var gradients = Gradients.Of(J, w, b);
        var run = new EvaluationPlan(gradients).Run(feed);
        Assert.Equal(Ledger.Format(run.Tensor(gradients[b]), b.Shape), ledger.Backward.Single(l => l.Name == "dJ/db").Value);
        Assert.Equal(Ledger.Format(run.Tensor(gradients[w]), w.Shape), ledger.Backward.Single(l => l.Name == "dJ/dw").Value);
    }

    [Fact]
    public void ThePicturesTitlesUseTheLedgersNames()
    {
        var (J, _, _, feed) = WeekTwoByHand();
        var ledger = Backprop.Explain(J, feed);
        var titles = GraphPicture.Draw(J, feed).Nodes.ToDictionary(n => n.Id, n => n.Lines[0]);
        var unnamed = ledger.Forward.Where(l => l.Name.StartsWith('t')).ToArray();
        Assert.NotEmpty(unnamed);
        foreach (var line in unnamed)
            Assert.StartsWith($"{line.Name} = ", titles[line.NodeId]);
    }
}
