using GraphDiff.Kernels;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// The float vector math (float32 training's exp, σ, tanh, softplus, log and ReLU step) against the double functions
/// rounded to float, in ulps of the float result: exp ≤ 1 ulp over its normal range, σ ≤ 2 ulps, tanh ≤ 3, softplus ≤ 2
/// and the logarithm ≤ 1 (measured over 200,000 points each; the XML docs and Tensors/DESIGN.md give the same bounds),
/// with the extremes (overflow to +∞ past 88.72, 0 below −103.97, tanh's −0, ln 0 = −∞, NaN in and out); and every
/// register width (512, 256 and 128 bits, forced) giving the bits of the one-lane form at every length up to four
/// 512-bit registers and one. Not run in parallel with other tests: the forced width is process-wide.
/// </summary>
[Collection(nameof(LaneWidthTests))]
public class VectorMathSingleTests
{
    private static readonly (string Name, Action<float[], float[]> Float, Func<double, double> Reference, double Low, double High, int Ulps)[] Functions =
    [
        ("exp", (x, y) => VectorMath.Exp(x, y), Math.Exp, -87, 88.7, 1),
        ("sigmoid", (x, y) => VectorMath.Sigmoid(x, y), x => 1 / (1 + Math.Exp(-x)), -87, 40, 2),
        ("tanh", (x, y) => VectorMath.Tanh(x, y), Math.Tanh, -12, 12, 3),
        ("softplus", (x, y) => VectorMath.Softplus(x, y), x => Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs(x))), -80, 80, 2),
        // The logarithm on positive inputs, subnormals among them.
        ("log", (x, y) => VectorMath.Log(x, y), x => Math.Log(Math.Abs(x)), 1e-44, 3e38, 1),
    ];

    [Fact]
    public void EachFunctionIsWithinItsUlpBound()
    {
        foreach (var f in Functions)
        {
            var random = new Random(21);
            // Uniform over the range, plus small magnitudes where relative accuracy is hardest to keep; the logarithm
            // log-uniformly over its positive range.
            var x = Enumerable.Range(0, 200_000).Select(i => (float)(f.Name == "log" ? Math.Exp(Math.Log(f.Low) + (Math.Log(f.High) - Math.Log(f.Low)) * random.NextDouble())
                : i % 4 == 0 ? Math.CopySign(Math.Pow(10, -8 + 8 * random.NextDouble()), random.NextDouble() - 0.5)
                : f.Low + (f.High - f.Low) * random.NextDouble())).ToArray();
            var y = new float[x.Length];
            f.Float(x, y);
            int worst = 0;
            float worstAt = 0;
            for (int i = 0; i < x.Length; i++)
            {
                int ulps = UlpDistance(y[i], (float)f.Reference(x[i]));
                if (ulps > worst) { worst = ulps; worstAt = x[i]; }
            }
            Assert.True(worst <= f.Ulps, $"{f.Name}: {worst} ulps at x = {worstAt:R} (bound {f.Ulps})");
        }
    }

    [Fact]
    public void TheExtremesComeOutRight()
    {
        float[] x = [89f, 88.8f, 1000f, float.PositiveInfinity, -104f, -200f, float.NegativeInfinity, float.NaN, 0f, -0f];
        var y = new float[x.Length];
        VectorMath.Exp(x, y);
        Assert.Equal([float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity, 0f, 0f, 0f], y[..7]);
        Assert.True(float.IsNaN(y[7]));
        Assert.Equal(1f, y[8]);
        Assert.Equal(1f, y[9]);

        VectorMath.Tanh(x, y);
        Assert.Equal(1f, y[0]);
        Assert.Equal(-1f, y[4]);
        Assert.True(float.IsNaN(y[7]));
        Assert.True(float.IsNegative(y[9]) && y[9] == 0, "tanh(−0) keeps its sign");

        VectorMath.Sigmoid(x, y);
        Assert.Equal(1f, y[2]);
        Assert.Equal(0f, y[5]);
        Assert.True(float.IsNaN(y[7]));
        Assert.Equal(0.5f, y[8]);

        VectorMath.Step(x, y);
        Assert.Equal([1f, 1f, 1f, 1f, 0f, 0f, 0f], y[..7]);
        Assert.True(float.IsNaN(y[7]), "a NaN is never masked into a 0 gradient");
        Assert.Equal(0f, y[8]);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(128)]
    public void EveryWidthGivesTheBitsOfOneLane(int bits)
    {
        var random = new Random(bits);
        float[] edges = [86f, -86f, 85.99999f, -87.5f, 88.9f, -104.5f, 1e-42f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f, 3e38f];
        foreach (int n in Enumerable.Range(0, 66).Concat([100, 511, 512, 513, 1025]))
        {
            var x = Enumerable.Range(0, n).Select(_ => random.Next(6) == 0 ? edges[random.Next(edges.Length)] : (float)(random.NextDouble() * 60 - 30)).ToArray();
            foreach (var (name, map) in new (string, Action<float[], float[]>)[]
                     {
                         ("exp", (a, b) => VectorMath.Exp(a, b)), ("sigmoid", (a, b) => VectorMath.Sigmoid(a, b)), ("tanh", (a, b) => VectorMath.Tanh(a, b)),
                         ("step", (a, b) => VectorMath.Step(a, b)), ("log", (a, b) => VectorMath.Log(a.Select(MathF.Abs).ToArray(), b)),
                         ("softplus", (a, b) => VectorMath.Softplus(a, b)), ("log1pExpNegativeAbs", (a, b) => VectorMath.Log1pExpNegativeAbs(a, b)),
                     })
            {
                var wide = Run(bits, n, y => map(x, y));
                var one = Run(64, n, y => map(x, y));
                Assert.True(wide.SequenceEqual(one), $"{name} at {bits} bits, n = {n}");
            }
        }
    }

    private static float[] Run(int bits, int n, Action<float[]> fill)
    {
        using var _ = LaneWidth.Force(bits);
        var y = new float[n];
        fill(y);
        return y;
    }

    /// <summary>log(1 + e) in double, by its series where 1 + e would round e away.</summary>
    private static double Log1p(double e) => e < 1e-4 ? e - e * e / 2 + e * e * e / 3 : Math.Log(1 + e);

    /// <summary>How many floats lie between a and b (0 when equal; both infinite of one sign count as equal).</summary>
    private static int UlpDistance(float a, float b)
    {
        if (a == b) return 0;
        if (float.IsNaN(a) || float.IsNaN(b)) return int.MaxValue;
        static long Ordered(float v)
        {
            int bits = BitConverter.SingleToInt32Bits(v);
            return bits < 0 ? int.MinValue - (long)bits : bits;
        }
        return (int)Math.Min(int.MaxValue, Math.Abs(Ordered(a) - Ordered(b)));
    }
}
