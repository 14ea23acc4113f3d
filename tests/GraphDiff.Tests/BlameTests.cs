using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff.Tests;

/// <summary>A failing gradient check names the operation whose own local derivative is wrong, with its line.</summary>
public class BlameTests
{
    private static int Here([CallerLineNumber] int line = 0) => line;

    // Softplus with the derivative of tanh instead of σ: wrong, yet finite and smooth, so only a check finds it.
    private static readonly Elementwise WrongSoftplus = new("WrongSoftplus",
        (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = Math.Max(x[i], 0) + Math.Log(1 + Math.Exp(-Math.Abs(x[i]))); },
        derivative: (x, y) => Op.Tanh(x));

    [Fact]
    public void AWrongCustomDerivativeBuriedInAThreeLayerNetworkIsNamedWithItsLine()
    {
        var random = new Random(4);
        var x = Graph.Constant(TestData.Matrix(random, new Shape(3, 5), r => r.NextDouble() * 2 - 1));
        var w1 = Graph.Variable("W1", TestData.Matrix(random, new Shape(4, 3), r => r.NextDouble() - 0.5));
        var w2 = Graph.Variable("W2", TestData.Matrix(random, new Shape(4, 4), r => r.NextDouble() - 0.5));
        var w3 = Graph.Variable("W3", TestData.Matrix(random, new Shape(1, 4), r => r.NextDouble() - 0.5));
        var a1 = Op.Tanh(Op.MatMul(w1, x));
        int line = Here(); var a2 = WrongSoftplus.Apply(Op.MatMul(w2, a1));
        var cost = Op.Sum(Op.Sigmoid(Op.MatMul(w3, a2)));

        var report = GradientCheck.Run(cost, [w1, w2, w3]);
        Assert.False(report.Passed);
        var culprit = Assert.IsType<Culprit>(report.Culprit);
        Assert.Equal("WrongSoftplus", culprit.Node.Operation.Name);
        Assert.Equal(line, culprit.Node.Location.Line);
        Assert.Contains($"(built at BlameTests.cs:{line}): the local derivative of WrongSoftplus for operand 0", report.ToString());
        Assert.NotEqual(culprit.Analytic, culprit.Numeric, 3);
        Assert.Equal($"very likely a bug: the difference is above 1e-5; start with WrongSoftplus at BlameTests.cs:{line}", report.Verdict);
    }

    [Fact]
    public void ACorrectGraphHasNoCulprit()
    {
        var w = Graph.Variable("w", new double[,] { { 0.3, -0.2 } });
        var report = GradientCheck.Run(Op.Sum(Op.Tanh(w * 2.0) + Op.Softplus(w)), [w]);
        Assert.True(report.Passed);
        Assert.Null(report.Culprit);
        Assert.StartsWith("correct", report.Verdict);
    }
}

/// <summary>Elements whose nudge crosses a kink are left out of the verdict and listed, instead of failing the check.</summary>
public class KinkTests
{
    [Fact]
    public void AReluPreActivationWithinEpsilonOfZeroIsSkippedAndListed()
    {
        var w = Graph.Variable("w", new double[,] { { 0.5, -0.5 + 2e-8 } });   // z = w·x = 2e-8, inside ±ε of ReLU's kink
        var x = Graph.Constant(new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(2, 1, [1.0, 1.0]));
        var c = Graph.Variable("c", 0.7);
        var z = Op.MatMul(w, x);
        var cost = Op.Sum(Op.ReLU(z) * 3.0 + z * c) + c * c;

        var report = GradientCheck.Run(cost, [w, c]);
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(2, report.SkippedAtKinks.Count);
        Assert.StartsWith("w[0, 0]: ReLU input at BlameTests.cs:", report.SkippedAtKinks[0]);
        Assert.Contains("from its kink at 0; skipped", report.ToString());

        // Without the skip, the difference quotient across the kink is wrong by the kink's jump: the check would fail.
        var far = GradientCheck.Run(cost, [w, c], options: new GradientCheckOptions { Epsilon = 1e-10 });
        Assert.Empty(far.SkippedAtKinks);
    }
}
