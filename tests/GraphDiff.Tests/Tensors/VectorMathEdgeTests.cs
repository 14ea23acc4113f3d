using GraphDiff.Kernels;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// The vector functions at the edges of their fast paths: a register whose lanes are all ordinary takes the short
/// form (exp: |x| &lt; 707, float 86; log: a positive normal x), one with a single lane beyond takes the full form,
/// which must give the ordinary lanes the same bits. Each edge value (where the fast path ends, where results turn
/// subnormal, overflow or saturate, ±∞, NaN, 0) is put in every lane of two registers and the one after them, at every
/// width, against the one-lane bits and the scalar reference. Not run in parallel with other tests: the forced width
/// is process-wide.
/// </summary>
[Collection(nameof(LaneWidthTests))]
public class VectorMathEdgeTests
{
    private static readonly (string Name, Action<double[], double[]> Run, Func<double, double> Reference, double Ulps, double[] Edges)[] Doubles =
    [
        ("exp", (x, y) => VectorMath.Exp(x, y), Math.Exp, 2,
            [706.9999999999999, 707, 707.0000000000001, -706.9999999999999, -707, -707.0000000000001, -708.3964185322641, -708.4, 709.782712893384,
             709.7827128933841, 710, -745.1332191019411, -745.2, -746, 1e308, -1e308, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0, -0.0]),
        ("sigmoid", (x, y) => VectorMath.Sigmoid(x, y), x => 1 / (1 + Math.Exp(-x)), 4,
            [-707, 707, -707.0000000000001, -709.78, -709.79, -745.2, 36.7, 36.8, 37.5, 745.2, 1e308, -1e308, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0]),
        ("log", (x, y) => VectorMath.Log(x, y), Math.Log, 1,
            [0, -0.0, -1, -1e-310, double.Epsilon, 1e-310, 2.2250738585072009E-308, 2.2250738585072014E-308, double.MaxValue,
             double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1, Math.BitIncrement(1.0), Math.BitDecrement(1.0)]),
        ("softplus", (x, y) => VectorMath.Softplus(x, y), x => Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs(x))), 4,
            [707, -707, -708.5, -745.2, 745.2, 36.8, -36.8, 1e308, -1e308, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0, -0.0]),
        ("tanh", (x, y) => VectorMath.Tanh(x, y), Math.Tanh, 4, [19.99, 20, 20.01, -20, 1e-300, -1e-300, -0.0, 1e308, double.NaN, double.NegativeInfinity]),
    ];

    private static readonly (string Name, Action<float[], float[]> Run, Func<double, double> Reference, int Ulps, float[] Edges)[] Floats =
    [
        ("exp", (x, y) => VectorMath.Exp(x, y), Math.Exp, 1,
            [85.99999f, 86f, 86.00001f, -85.99999f, -86f, -86.00001f, -87.33655f, -87.4f, 88.72283f, 88.72284f, 89f, -103.9f, -104f, -104.5f,
             3e38f, -3e38f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f]),
        // Below −88.72, e^−x overflows float and σ is 0 where the true value is a subnormal below 3e−39 (as the double σ
        // is 0 below −709.78): the reference says so.
        ("sigmoid", (x, y) => VectorMath.Sigmoid(x, y), x => Math.Exp(-x) > float.MaxValue ? 0 : 1 / (1 + Math.Exp(-x)), 2,
            [-86f, 86f, -86.00001f, -88.7f, -88.8f, -104.5f, 16.6f, 17.4f, 104.5f, 3e38f, -3e38f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f]),
        ("log", (x, y) => VectorMath.Log(x, y), Math.Log, 1,
            [0f, -0f, -1f, -1e-40f, float.Epsilon, 1e-40f, 1.1754942E-38f, 1.1754944E-38f, float.MaxValue, float.PositiveInfinity, float.NegativeInfinity,
             float.NaN, 1f, MathF.BitIncrement(1f), MathF.BitDecrement(1f)]),
        ("softplus", (x, y) => VectorMath.Softplus(x, y), x => Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs(x))), 2,
            [86f, -86f, -88f, -104.5f, 104.5f, 17f, -17f, 3e38f, -3e38f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f]),
    ];

    public static TheoryData<int> Widths() => [512, 256, 128];

    [Theory, MemberData(nameof(Widths))]
    public void AnEdgeValueInAnyLaneLeavesTheOtherLanesTheirBits(int bits)
    {
        int span = 2 * bits / 64 + 1;   // two registers of doubles, and one lane after them
        foreach (var (name, run, reference, ulps, edges) in Doubles)
            foreach (double edge in edges)
                for (int at = 0; at < span; at++)
                {
                    var x = Enumerable.Range(0, span).Select(i => i == at ? edge : 0.25 + 0.375 * i).ToArray();
                    var wide = Run(bits, () => Out(span, y => run(x, y)));
                    var one = Run(64, () => Out(span, y => run(x, y)));
                    for (int i = 0; i < span; i++)
                    {
                        Assert.True(BitConverter.DoubleToInt64Bits(wide[i]) == BitConverter.DoubleToInt64Bits(one[i]),
                            $"{name}({x[i]:R}) at {bits} bits, lane {i} beside {edge:R} in lane {at}: {wide[i]:R}, one lane {one[i]:R}");
                        Assert.True(Ulps(wide[i], reference(x[i])) <= ulps, $"{name}({x[i]:R}) = {wide[i]:R} at {bits} bits, expected {reference(x[i]):R}");
                    }
                }
    }

    [Theory, MemberData(nameof(Widths))]
    public void AnEdgeValueInAnyLaneLeavesTheOtherLanesTheirBitsInFloat(int bits)
    {
        int span = 2 * bits / 32 + 1;
        foreach (var (name, run, reference, ulps, edges) in Floats)
            foreach (float edge in edges)
                for (int at = 0; at < span; at++)
                {
                    var x = Enumerable.Range(0, span).Select(i => i == at ? edge : 0.25f + 0.375f * i).ToArray();
                    var wide = RunSingle(bits, () => OutSingle(span, y => run(x, y)));
                    var one = RunSingle(64, () => OutSingle(span, y => run(x, y)));
                    for (int i = 0; i < span; i++)
                    {
                        Assert.True(BitConverter.SingleToInt32Bits(wide[i]) == BitConverter.SingleToInt32Bits(one[i]),
                            $"{name}({x[i]:R}) at {bits} bits, lane {i} beside {edge:R} in lane {at}: {wide[i]:R}, one lane {one[i]:R}");
                        Assert.True(UlpsSingle(wide[i], (float)reference(x[i])) <= ulps, $"{name}({x[i]:R}) = {wide[i]:R} at {bits} bits, expected {(float)reference(x[i]):R}");
                    }
                }
    }

    [Fact]
    public void TheExtremesOfLogAndSoftplusComeOutRight()
    {
        double[] x = [0, -0.0, -1, double.NegativeInfinity, double.PositiveInfinity, double.NaN, double.Epsilon, 1];
        var y = new double[x.Length];
        VectorMath.Log(x, y);
        Assert.Equal([double.NegativeInfinity, double.NegativeInfinity], y[..2]);
        Assert.True(double.IsNaN(y[2]) && double.IsNaN(y[3]) && double.IsNaN(y[5]), "below 0, and NaN, give NaN");
        Assert.Equal(double.PositiveInfinity, y[4]);
        Assert.Equal(Math.Log(double.Epsilon), y[6]);
        Assert.Equal(0.0, y[7]);

        VectorMath.Softplus(x, y);
        Assert.Equal([Math.Log(2), Math.Log(2), 0.0, double.PositiveInfinity], new[] { y[0], y[1], y[3], y[4] });
        Assert.True(double.IsNaN(y[5]));
        float[] xf = [1e38f, -1e38f, float.NegativeInfinity, float.NaN, 0f];
        var yf = new float[xf.Length];
        VectorMath.Softplus(xf, yf);
        Assert.Equal([1e38f, 0f, 0f], yf[..3]);
        Assert.True(float.IsNaN(yf[3]));
        Assert.Equal(MathF.Log(2), yf[4]);
    }

    /// <summary>Softplus runs in blocks of 512 through a buffer: in place, across blocks, each element read before it is written.</summary>
    [Fact]
    public void SoftplusInPlaceAcrossItsBlocksGivesTheBitsOutOfPlace()
    {
        var random = new Random(4);
        foreach (int n in new[] { 511, 512, 513, 1024, 1537 })
        {
            var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 80 - 40).ToArray();
            var y = new double[n];
            VectorMath.Softplus(x, y);
            var inPlace = (double[])x.Clone();
            VectorMath.Softplus(inPlace, inPlace);
            Assert.Equal(y, inPlace);
            var xf = x.Select(v => (float)v).ToArray();
            var yf = new float[n];
            VectorMath.Log1pExpNegativeAbs(xf, yf);
            VectorMath.Log1pExpNegativeAbs(xf, xf);
            Assert.Equal(yf, xf);
        }
    }

    private static double Ulps(double actual, double expected)
    {
        if (actual.Equals(expected)) return 0;   // NaN = NaN, ∞ = ∞, 0 = −0
        double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
        return double.IsFinite(ulp) ? Math.Abs(actual - expected) / ulp : double.PositiveInfinity;
    }

    private static long UlpsSingle(float a, float b)
    {
        if (a.Equals(b) || a == b) return 0;
        if (float.IsNaN(a) || float.IsNaN(b)) return long.MaxValue;
        static long Ordered(float v) { int bits = BitConverter.SingleToInt32Bits(v); return bits < 0 ? int.MinValue - (long)bits : bits; }
        return Math.Abs(Ordered(a) - Ordered(b));
    }

    private static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * (x / (u - 1));
    }

    private static double[] Out(int n, Action<double[]> fill) { var d = new double[n]; fill(d); return d; }
    private static float[] OutSingle(int n, Action<float[]> fill) { var d = new float[n]; fill(d); return d; }

    private static double[] Run(int bits, Func<double[]> f)
    {
        using var _ = LaneWidth.Force(bits);
        return f();
    }

    private static float[] RunSingle(int bits, Func<float[]> f)
    {
        using var _ = LaneWidth.Force(bits);
        return f();
    }
}
