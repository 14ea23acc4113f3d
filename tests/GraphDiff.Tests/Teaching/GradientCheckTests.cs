using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

public class GradientCheckTests
{
    /// <summary>Computes x² but claims its derivative is 3x: a deliberately wrong operation.</summary>
    internal sealed class WrongSquare : ElementwiseUnary
    {
        public override string Name => "WrongSquare";
        protected override void Forward(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i];
        }
        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream * (3 * node.Inputs[0])];
    }

    [Fact]
    public void ItSaysWhenEveryDerivativeOfAVariableIsZeroAndSoProvesNothing()
    {
        // Every ReLU of the first layer off (b1 far below): dW1 and db1 are exactly 0 on both sides, as a wrong mask would give.
        var random = new Random(3);
        var X = Graph.Input("X", 3);
        var Y = Graph.Input("Y", 1);
        var W1 = GradientAssert.Var("W1", random, new Shape(4, 3), TestData.Unit);
        var b1 = Graph.Variable("b1", DenseMatrix.Create(4, 1, -100.0));
        var W2 = GradientAssert.Var("W2", random, new Shape(1, 4), TestData.Unit);
        var b2 = GradientAssert.Var("b2", random, new Shape(1, 1), TestData.Unit);
        var J = Op.BinaryCrossEntropy(Op.Sigmoid(Op.MatMul(W2, Op.ReLU(Op.MatMul(W1, X) + b1)) + b2), Y);
        var feed = new Feed
        {
            { X, TestData.Matrix(random, new Shape(3, 5), TestData.Any) },
            { Y, DenseMatrix.OfArray(new[,] { { 1.0, 0, 1, 1, 0 } }) },
        };
        var report = GradientCheck.Run(J, [W1, b1, W2, b2], feed);
        Assert.True(report.Passed, report.ToString());
        Assert.Contains("every derivative checked for W1, b1, W2 is exactly 0", report.Verdict);
        // With live units nothing is said.
        b1.Value.Clear();
        Assert.DoesNotContain("exactly 0", GradientCheck.Run(J, [W1, b1, W2, b2], feed).Verdict);
    }

    [Fact]
    public void ItPassesOnACorrectNetworkWithTheCourseDefaults()
    {
        var random = new Random(1);
        var X = Graph.Input("X", 3);
        var Y = Graph.Input("Y", 1);
        var W1 = GradientAssert.Var("W1", random, new Shape(4, 3), TestData.Unit);
        var b1 = GradientAssert.Var("b1", random, new Shape(4, 1), TestData.Unit);
        var W2 = GradientAssert.Var("W2", random, new Shape(1, 4), TestData.Unit);
        var b2 = GradientAssert.Var("b2", random, new Shape(1, 1), TestData.Unit);
        var A1 = Op.Tanh(Op.MatMul(W1, X) + b1);
        var A2 = Op.Sigmoid(Op.MatMul(W2, A1) + b2);
        var J = Op.BinaryCrossEntropy(A2, Y);
        var feed = new Feed
        {
            { X, TestData.Matrix(random, new Shape(3, 5), TestData.Any) },
            { Y, DenseMatrix.OfArray(new[,] { { 1.0, 0, 1, 1, 0 } }) },
        };

        var report = GradientCheck.Run(J, [W1, b1, W2, b2], feed);
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(4, report.Variables.Count);
        Assert.All(report.Variables, v => Assert.True(v.Difference < 1e-7, report.ToString()));
    }

    [Fact]
    public void ItFailsOnAWrongDerivativeAndNamesTheVariable()
    {
        var random = new Random(2);
        var good = GradientAssert.Var("good", random, new Shape(2, 2), TestData.Positive);
        var bad = GradientAssert.Var("bad", random, new Shape(2, 3), TestData.Positive);
        var J = Op.Sum(Op.Tanh(good)) + Op.Sum(Node.Apply(new WrongSquare(), [bad], SourceLocation.Unknown));

        var report = GradientCheck.Run(J, [good, bad]);
        Assert.False(report.Passed);
        Assert.Equal("bad", Assert.Single(report.Failing).Variable.Name);
        Assert.Equal("bad", report.Worst!.Variable.Name);
        Assert.Contains("FAILED", report.ToString());
        Assert.Contains("bad", report.ToString());
        // The analytic value is 3x where the numeric one is 2x.
        var w = report.Worst;
        Assert.Equal(1.5, w.Analytic[w.WorstRow, w.WorstColumn] / w.Numeric[w.WorstRow, w.WorstColumn], 5);
    }

    [Fact]
    public void EpsilonAndThresholdAreSettable()
    {
        var x = Graph.Variable("x", 0.7);
        var J = Op.Exp(x);
        var coarse = GradientCheck.Run(J, [x], options: new GradientCheckOptions { Epsilon = 1e-1, Threshold = 1e-12 });
        Assert.False(coarse.Passed); // a large step has a truncation error far above 1e-12
        Assert.True(coarse.Difference > 1e-5);
        var fine = GradientCheck.Run(J, [x], options: new GradientCheckOptions { Epsilon = 1e-5, Threshold = 1e-7 });
        Assert.True(fine.Passed, fine.ToString());
    }

    [Fact]
    public void CheckingLeavesTheVariablesAsTheyWere()
    {
        var W = Graph.Variable("W", DenseMatrix.OfArray(new[,] { { 0.1, 0.2 }, { 0.3, 0.4 } }));
        var before = W.Value.Clone();
        GradientCheck.Run(Op.Sum(Op.Square(W)), [W]);
        Assert.Equal(before, W.Value);
    }
}

public class SampledGradientCheckTests
{
    [Fact]
    public void SamplingChecksOnlyThatManyElementsAndStillCatchesAWrongDerivative()
    {
        var random = new Random(4);
        var W = GradientAssert.Var("W", random, new Shape(30, 40), TestData.Unit);
        var cost = Op.Sum(Op.Tanh(W));
        var options = new GradientCheckOptions { ElementsPerVariable = 25, Seed = 1, Threshold = 1e-6, Epsilon = 1e-6 };
        var report = GradientCheck.Run(cost, [W], options: options);
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(25, report.Variables[0].CheckedElements);
        Assert.Equal(25, report.Variables[0].Numeric.Enumerate().Count(double.IsFinite));
        Assert.Contains("25 sampled elements", report.ToString());

        var wrong = Op.Sum(Op.Tanh(W)) + Op.Sum(W * W * 0 + Node.Apply(new GradientCheckTests.WrongSquare(), [W], SourceLocation.Unknown));
        Assert.False(GradientCheck.Run(wrong, [W], options: options).Passed);
    }
}
