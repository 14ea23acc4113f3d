using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

public class StabilityTests
{
    [Fact]
    public void AHundredThousandNodeChainBuildsDifferentiatesAndEvaluatesWithoutStackOverflow()
    {
        // Run on a thread with a small stack: any recursion over the chain would overflow it.
        Exception? failure = null;
        double value = 0, gradient = 0;
        var thread = new Thread(() =>
        {
            try
            {
                var x = Graph.Variable("x", 1.0);
                Node y = x;
                for (int k = 0; k < 100_000; k++) y = k % 2 == 0 ? Op.Add(y, Graph.Constant(1e-5)) : y + 1e-5;
                var dx = Gradients.Of(y, x)[x];
                value = y.EvaluateScalar();
                gradient = dx.EvaluateScalar();
                Assert.Contains("Add", y.ToString());
                Assert.StartsWith("x ", NodeFormatter.Listing(y));
            }
            catch (Exception e) { failure = e; }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        Assert.Equal(2.0, value, 9);
        Assert.Equal(1.0, gradient);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 1.0)]
    public void BinaryCrossEntropyStaysFiniteAtSaturation(double a, double y)
    {
        var A = Graph.Variable("A", DenseMatrix.Create(1, 2, a));
        var Y = Graph.Constant(DenseMatrix.Create(1, 2, y), "Y");
        var J = Op.BinaryCrossEntropy(A, Y);
        double cost = J.EvaluateScalar();
        Assert.True(double.IsFinite(cost));
        Assert.All(Gradients.Of(J, A)[A].Evaluate().Enumerate(), g => Assert.True(double.IsFinite(g)));
        if (a == y) Assert.True(cost < 1e-12);
        else Assert.True(cost > 30); // −log(1e−15) ≈ 34.5: large but finite
    }

    [Fact]
    public void BinaryCrossEntropyOfASaturatedSigmoidIsFinite()
    {
        var Z = Graph.Variable("Z", DenseMatrix.OfArray(new[,] { { 1000.0, -1000.0 } }));
        var Y = Graph.Constant(DenseMatrix.OfArray(new[,] { { 0.0, 1.0 } }), "Y");
        var J = Op.BinaryCrossEntropy(Op.Sigmoid(Z), Y);
        Assert.True(double.IsFinite(J.EvaluateScalar()));
    }

    [Theory]
    [InlineData(1000.0, 0.0, 1000.0, 0.5)]
    [InlineData(-1000.0, 1.0, 1000.0, -0.5)]
    [InlineData(1000.0, 1.0, 0.0, 0.0)]
    [InlineData(-1000.0, 0.0, 0.0, 0.0)]
    public void BinaryCrossEntropyFromLogitsIsExactAtPlusMinusAThousand(double z, double y, double expectedCost, double expectedGradient)
    {
        var Z = Graph.Variable("Z", DenseMatrix.Create(1, 2, z));
        var Y = Graph.Constant(DenseMatrix.Create(1, 2, y), "Y");
        var J = Op.BinaryCrossEntropyWithLogits(Z, Y);
        Assert.Equal(expectedCost, J.EvaluateScalar(), 9);
        Assert.All(Gradients.Of(J, Z)[Z].Evaluate().Enumerate(), g => Assert.Equal(expectedGradient, g, 12));
    }

    [Fact]
    public void SoftmaxIsStableForLargeScores()
    {
        var Z = Graph.Variable("Z", DenseMatrix.OfArray(new[,] { { 1000.0 }, { 0.0 }, { -1000.0 } }));
        var s = Op.Softmax(Z).Evaluate();
        Assert.Equal(1.0, s[0, 0], 12);
        var J = Op.SoftmaxCrossEntropy(Z, Graph.Constant(DenseMatrix.OfArray(new[,] { { 0.0 }, { 0.0 }, { 1.0 } })));
        Assert.Equal(2000.0, J.EvaluateScalar(), 9);
    }
}
