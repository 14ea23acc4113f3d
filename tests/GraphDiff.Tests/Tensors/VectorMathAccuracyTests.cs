using GraphDiff.Kernels;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// The vectorised functions at every magnitude from 1e−300 to 700, both signs, against the runtime's scalar
/// functions (correctly rounded to within an ulp), and the same bits for an element whatever the array's length.
/// </summary>
public class VectorMathAccuracyTests
{
    /// <summary>1e−300 … 700 on a logarithmic grid with jitter, both signs, plus zeros.</summary>
    private static double[] Magnitudes()
    {
        var random = new Random(11);
        var values = new List<double> { 0.0, -0.0, 1.6e-20, -1.6e-20, 1e-8, 1e-12, double.Epsilon, -double.Epsilon };
        for (double e = -300; e <= Math.Log10(700); e += 0.01)
        {
            double v = Math.Pow(10, e) * (1 + 0.01 * random.NextDouble());
            if (v > 700) continue;
            values.Add(v);
            values.Add(-v);
        }
        return values.ToArray();
    }

    private static double Ulps(double actual, double expected)
    {
        if (actual == expected) return 0;
        double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
        if (ulp == 0 || double.IsInfinity(ulp)) return double.PositiveInfinity;
        return Math.Abs(actual - expected) / ulp;
    }

    private static void Within(string name, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Func<double, double> reference, double maxUlps, double denormalFloor = 0)
    {
        double worst = 0; int at = -1;
        for (int i = 0; i < x.Length; i++)
        {
            double expected = reference(x[i]);
            if (Math.Abs(expected) < denormalFloor && Math.Abs(y[i] - expected) < denormalFloor * 1e-3) continue;
            double u = Ulps(y[i], expected);
            Assert.True(Math.Sign(y[i]) == Math.Sign(expected) && double.IsNegative(y[i]) == double.IsNegative(expected),
                $"{name}({x[i]:R}) = {y[i]:R} has the wrong sign (expected {expected:R})");
            if (u > worst) { worst = u; at = i; }
        }
        Assert.True(worst <= maxUlps, $"{name} is {worst:G3} ulps off at x = {x[at]:R}: {y[at]:R}, expected {reference(x[at]):R}");
    }

    [Fact]
    public void TanhIsWithinFourUlpsAtEveryMagnitudeAndKeepsTheSign()
    {
        var x = Magnitudes();
        var y = new double[x.Length];
        VectorMath.Tanh(x, y);
        Within("tanh", x, y, Math.Tanh, 4);
        Assert.Equal(1e-8, Tanh1(1e-8));
        Assert.Equal(-1.6e-20, Tanh1(-1.6e-20));
        Assert.True(double.IsNegative(Tanh1(-0.0)));
        Assert.Equal(1.0, Tanh1(700));
        Assert.True(double.IsNaN(Tanh1(double.NaN)));
        Assert.Equal(-1.0, Tanh1(double.NegativeInfinity));
        static double Tanh1(double v) { var r = new double[9]; var a = new double[9]; a.AsSpan().Fill(v); VectorMath.Tanh(a, r); return r[0]; }
    }

    [Fact]
    public void ExpIsWithinTwoUlpsAtEveryMagnitude()
    {
        var x = Magnitudes();
        var y = new double[x.Length];
        VectorMath.Exp(x, y);
        Within("exp", x, y, Math.Exp, 2, denormalFloor: 1e-300);
    }

    [Fact]
    public void SigmoidIsWithinFourUlpsAtEveryMagnitude()
    {
        var x = Magnitudes();
        var y = new double[x.Length];
        VectorMath.Sigmoid(x, y);
        Within("sigmoid", x, y, v => 1 / (1 + Math.Exp(-v)), 4);
    }

    [Fact]
    public void LogIsWithinOneUlpAtEveryMagnitudeSubnormalsIncluded()
    {
        var x = Magnitudes().Where(v => v > 0).Concat([double.Epsilon, 3e-320, 2.2250738585072009E-308, 2.2250738585072014E-308, double.MaxValue, 1.0, Math.BitIncrement(1.0), Math.BitDecrement(1.0)]).ToArray();
        var y = new double[x.Length];
        VectorMath.Log(x, y);
        Within("log", x, y, Math.Log, 1);
    }

    [Fact]
    public void SoftplusFormOfBceWithLogitsIsAccurateForLargeLogits()
    {
        // log(1 + e^−|z|) for a confidently right prediction: the cost is tiny but must not be 0 or negative.
        foreach (double z in new[] { 1e-300, 1e-8, 1, 20, 36, 40, 700 })
        {
            var logits = Graph.Variable("z", z);
            double cost = Op.BinaryCrossEntropyWithLogits(logits, Graph.Constant(1.0)).EvaluateScalar();
            double expected = Log1p(Math.Exp(-z));
            Assert.True(Ulps(cost, expected) <= 2, $"BCE-with-logits(z = {z}) = {cost:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void SoftplusIsWithinTwoUlpsAtEveryMagnitude()
    {
        var x = Magnitudes().SelectMany(v => new[] { v, -v }).Where(v => v > -700).ToArray();
        var y = new double[x.Length];
        VectorMath.Softplus(x, y);
        Within("softplus", x, y, v => Math.Max(v, 0) + Log1p(Math.Exp(-Math.Abs(v))), 4, denormalFloor: 1e-300);   // exp and log, 2 and 3 ulps
    }

    /// <summary>
    /// An accurate log(1 + x), the reference: .NET's double.LogP1 is log(x + 1), which loses the digits of a tiny x
    /// (3e−8 relative at x = 2e−9). Goldberg's identity with Math.Log: u − 1 is exact.
    /// </summary>
    private static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * (x / (u - 1));
    }

    [Fact]
    public void AnElementGetsTheSameBitsWhateverTheArrayLength()
    {
        // The vector body and the scalar tail must agree: a 1×1 node and a 1×17 node give the same tanh.
        var x = Magnitudes();
        foreach (var (name, run) in new (string, Action<double[], double[]>)[]
                 {
                     ("tanh", (a, b) => VectorMath.Tanh(a, b)), ("exp", (a, b) => VectorMath.Exp(a, b)),
                     ("sigmoid", (a, b) => VectorMath.Sigmoid(a, b)), ("step", (a, b) => VectorMath.Step(a, b)),
                     ("log", (a, b) => VectorMath.Log(a.Select(Math.Abs).ToArray(), b)), ("softplus", (a, b) => VectorMath.Softplus(a, b)),
                     ("log1pExpNegativeAbs", (a, b) => VectorMath.Log1pExpNegativeAbs(a, b)),
                 })
        {
            var whole = new double[x.Length];
            run(x, whole);
            for (int i = 0; i < x.Length; i++)
            {
                var one = new double[1];
                run([x[i]], one);
                Assert.True(BitConverter.DoubleToInt64Bits(one[0]) == BitConverter.DoubleToInt64Bits(whole[i]),
                    $"{name}({x[i]:R}): {one[0]:R} alone, {whole[i]:R} in an array of {x.Length}");
            }
        }
        var tiny = Graph.Variable("z", DenseMatrix.Create(1, 17, 1e-12));
        Assert.Equal(Op.Tanh(Graph.Variable("z1", 1e-12)).EvaluateScalar(), Op.Tanh(tiny).Evaluate()[0, 16]);
        Assert.Equal(1e-12, Op.Tanh(tiny).Evaluate()[0, 3]);
    }

    [Fact]
    public void StepKeepsNaNSoReLUGradientsCannotHideIt()
    {
        double[] x = [double.NaN, 1, 0, -1, -0.0, double.PositiveInfinity, double.NaN, 2, 3];
        var y = new double[x.Length];
        VectorMath.Step(x, y);
        Assert.True(double.IsNaN(y[0]) && double.IsNaN(y[6]));
        Assert.Equal([1.0, 0, 0, 0, 1, 1, 1], new[] { y[1], y[2], y[3], y[4], y[5], y[7], y[8] });
    }
}
