namespace GraphDiff.Tests;

/// <summary>The vectorised exp and sigmoid against Math.Exp, and elementwise work split across cores.</summary>
public class VectorMathTests
{
    [Fact]
    public void ExpAgreesWithMathExpToTwoUlpsAcrossItsRange()
    {
        var random = new Random(5);
        var x = new double[100_003];
        for (int i = 0; i < x.Length; i++) x[i] = i % 3 == 0 ? random.NextDouble() * 1490 - 745 : random.NextDouble() * 40 - 20;
        x[0] = 709.7; x[1] = 709.8; x[2] = -745.2; x[3] = -744; x[4] = 0; x[5] = double.NaN; x[6] = double.PositiveInfinity; x[7] = double.NegativeInfinity; x[8] = -708.5;
        var y = new double[x.Length];
        Kernels.VectorMath.Exp(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Exp(x[i]);
            if (double.IsNaN(expected)) { Assert.True(double.IsNaN(y[i]), $"exp({x[i]})"); continue; }
            if (double.IsInfinity(expected) || expected == 0) { Assert.Equal(expected, y[i]); continue; }
            double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
            Assert.True(Math.Abs(y[i] - expected) <= 2 * ulp || expected < 1e-300 && Math.Abs(y[i] - expected) < 1e-300 * 1e-6, $"exp({x[i]:R}) = {y[i]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void SigmoidIsFiniteAndAccurateEverywhere()
    {
        double[] x = [-1000, -50, -1, -1e-9, 0, 1e-9, 1, 50, 1000, 3, -3, 0.5, 7, -7, 20, -20];
        var y = new double[x.Length];
        Kernels.VectorMath.Sigmoid(x, y);
        for (int i = 0; i < x.Length; i++) Assert.Equal(1 / (1 + Math.Exp(-x[i])), y[i], 1e-15);
    }

    [Fact]
    public void LargeElementwiseWorkSplitAcrossCoresMatchesTheScalarReference()
    {
        int n = ElementwiseUnary.ParallelThreshold * 2 + 13;
        var values = new double[n];
        var random = new Random(9);
        for (int i = 0; i < n; i++) values[i] = random.NextDouble() * 8 - 4;
        var x = Graph.Variable("x", MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.OfColumnMajor(n, 1, values));
        var tanh = Op.Tanh(x).Evaluate();
        var sigmoid = Op.Sigmoid(x).Evaluate();
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(Math.Tanh(values[i]), tanh[i, 0], 1e-14);
            Assert.Equal(1 / (1 + Math.Exp(-values[i])), sigmoid[i, 0], 1e-14);
        }
    }
}
