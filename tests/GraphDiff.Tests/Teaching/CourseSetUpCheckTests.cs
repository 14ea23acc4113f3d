using GraphDiff.Nn;

namespace GraphDiff.Tests.Checking;

/// <summary>
/// The course's own set-ups, checked as a learner checks them: a correct graph must never be reported FAILED
/// because its gradients are at rounding level (weights ×0.01 make ∂J/∂b1 ≈ 1e-6 over 400 examples, which
/// central differences at ε = 1e-7 resolve only to ~1e-9), yet a real bug in the same set-up still fails.
/// </summary>
public class CourseSetUpCheckTests
{
    private static (Network Net, Feed Feed) Planar(int[] sizes, Activation hidden, int seed, int m = 400)
    {
        var flower = Dataset.Flower(m, seed);
        var net = Network.Create(sizes, new NetworkOptions { Hidden = hidden, Initialization = Initialization.SmallRandom, Seed = seed });
        return (net, new Feed { { net.X, flower.X }, { net.Y, flower.Y } });
    }

    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheWeek3PlanarTanhNetworkWithWeightsTimesPoint01IsNeverFailed(int seed)
    {
        var (net, feed) = Planar([2, 4, 1], Activation.Tanh, seed);
        var report = GradientCheck.Run(net.Cost, net.Parameters, feed);
        AssertNotFailed(report);
        // The measured disagreement is rounding: far inside the level the report allows for it.
        Assert.All(report.Variables, v => Assert.True(v.WorstError < report.RoundingLevel / 4, report.ToString()));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ADeepReluNetworkWithWeightsTimesPoint01IsNeverFailed(int seed)
    {
        var (net, feed) = Planar([2, 5, 3, 1], Activation.ReLU, seed);
        AssertNotFailed(GradientCheck.Run(net.Cost, net.Parameters, feed));
    }

    [Fact]
    public void ARealBugInTheWeek3SetUpStillFailsAndIsBlamedOnTheOperationNotTheLabels()
    {
        // The classic slip: tanh's derivative written 1 − a instead of 1 − a², only 4% off at these small Z.
        var wrongTanh = new Elementwise("MyTanh", (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = Math.Tanh(x[i]); },
            derivative: (z, a) => 1.0 - a);
        var flower = Dataset.Flower(400);
        var random = new Random(1);
        var X = Graph.Input("X", 2);
        var Y = Graph.Input("Y", 1);
        var W1 = Graph.Variable("W1", TestData.Matrix(random, new Shape(4, 2), r => (r.NextDouble() - 0.5) * 0.02));
        var b1 = Graph.Variable("b1", new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(4, 1));
        var W2 = Graph.Variable("W2", TestData.Matrix(random, new Shape(1, 4), r => (r.NextDouble() - 0.5) * 0.02));
        var b2 = Graph.Variable("b2", 0.0);
        var A1 = wrongTanh.Apply(Op.MatMul(W1, X) + b1);
        var J = Op.BinaryCrossEntropy(Op.Sigmoid(Op.MatMul(W2, A1) + b2), Y);

        var report = GradientCheck.Run(J, [W1, b1, W2, b2], new Feed { { X, flower.X }, { Y, flower.Y } });
        Assert.Equal(CheckOutcome.Failed, report.Outcome);
        Assert.Contains(report.Failing, v => v.Variable == W1);
        var culprit = Assert.IsType<Culprit>(report.Culprit);
        Assert.Equal("MyTanh", culprit.Node.Operation.Name);
        Assert.Equal(1 - Math.Tanh(culprit.OperandValue), culprit.Analytic, 12);
        Assert.Equal(1 - Math.Pow(Math.Tanh(culprit.OperandValue), 2), culprit.Numeric, 6);
        Assert.Contains("f′(x) at x = (W1·X + b1)[", culprit.ToString());
        AssertConsistent(report);
    }

    [Fact]
    public void WhenTheCoursesOverallDifferencePassesAVariableAtRoundingLevelIsNamedNotMarkedWrong()
    {
        var (net, feed) = Planar([2, 4, 1], Activation.Tanh, seed: 4, m: 50);
        var report = GradientCheck.Run(net.Cost, net.Parameters, feed);
        Assert.True(report.Difference < 1e-7, report.ToString());
        Assert.Equal(CheckOutcome.Passed, report.Outcome);
        Assert.Contains(report.Variables, v => v.Outcome == CheckOutcome.Inconclusive);
        Assert.Contains("gradients at rounding level for", report.Verdict);
        AssertConsistent(report);
    }

    /// <summary>The header, the marks and the verdict say the same thing.</summary>
    internal static void AssertConsistent(GradientCheckReport report)
    {
        string text = report.ToString();
        string header = text[..text.IndexOf(':')];
        Assert.Equal(report.Outcome == CheckOutcome.Failed, header.EndsWith("FAILED", StringComparison.Ordinal));
        Assert.Equal(report.Outcome == CheckOutcome.Passed, header.EndsWith("passed", StringComparison.Ordinal));
        Assert.Equal(report.Outcome == CheckOutcome.Failed, text.Contains("<-- wrong", StringComparison.Ordinal));
        Assert.Equal(report.Outcome == CheckOutcome.Passed, report.Verdict.StartsWith("correct", StringComparison.Ordinal));
        Assert.Equal(report.Outcome == CheckOutcome.Inconclusive, report.Verdict.StartsWith("inconclusive", StringComparison.Ordinal));
        foreach (var v in report.Variables.Where(v => v.Outcome == CheckOutcome.NotChecked))
            Assert.Contains($"{v.Variable.Name} ", text.Split('\n').Single(l => l.Contains("not checked", StringComparison.Ordinal)));
    }

    private static void AssertNotFailed(GradientCheckReport report)
    {
        AssertConsistent(report);
        string text = report.ToString();
        Assert.NotEqual(CheckOutcome.Failed, report.Outcome);
        Assert.DoesNotContain("FAILED", text);
        Assert.DoesNotContain("<-- wrong", text);
        Assert.Null(report.Culprit);
        if (report.Outcome == CheckOutcome.Inconclusive) Assert.Contains("rounding level", report.Verdict);
    }
}
