using GraphDiff.Kernels;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// Every register width the elementwise kernels can run at (512, 256 and 128 bits, and one lane — ARM64 gets
/// 128), forced on this machine: each gives the same bits as the one-lane reference, at lengths around every
/// vector width. Not run in parallel with other tests: the forced width is process-wide.
/// </summary>
[Collection(nameof(LaneWidthTests))]
[CollectionDefinition(nameof(LaneWidthTests), DisableParallelization = true)]
public class LaneWidthTests
{
    public static TheoryData<int> Widths() => [512, 256, 128, 64];

    /// <summary>The double functions, each over values of its own domain (log over |x|).</summary>
    internal static readonly (string Name, Action<double[], double[]> Run)[] Unary =
    [
        ("exp", (a, b) => VectorMath.Exp(a, b)), ("sigmoid", (a, b) => VectorMath.Sigmoid(a, b)), ("tanh", (a, b) => VectorMath.Tanh(a, b)),
        ("step", (a, b) => VectorMath.Step(a, b)), ("log", (a, b) => VectorMath.Log(a.Select(Math.Abs).ToArray(), b)),
        ("softplus", (a, b) => VectorMath.Softplus(a, b)), ("log1pExpNegativeAbs", (a, b) => VectorMath.Log1pExpNegativeAbs(a, b)),
    ];

    /// <summary>
    /// Every length from 0 to four 512-bit registers and one (the loops take two registers a step, then one, then one
    /// lane), then lengths across softplus's 512-element blocks; ordinary values with, now and then, one from beyond
    /// the functions' fast paths (exp's |x| ≥ 707, a subnormal, ±∞, NaN, 0), so that registers mixing both are covered.
    /// </summary>
    [Theory, MemberData(nameof(Widths))]
    public void EveryWidthGivesTheBitsOfOneLane(int bits)
    {
        var random = new Random(bits);
        double[] edges = [707.0, -707.0, 706.9999999999999, -708.5, 709.9, -745.5, 5e-320, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0.0, -0.0, 1e308];
        foreach (int n in Enumerable.Range(0, 34).Concat([100, 511, 512, 513, 1025]))
        {
            var x = Enumerable.Range(0, n).Select(_ => random.Next(6) == 0 ? edges[random.Next(edges.Length)] : random.NextDouble() * 60 - 30).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 + 0.5).ToArray();
            foreach (var (name, unary) in Unary)
                Assert.True(Run(bits, () => Out(n, d => unary(x, d))).SequenceEqual(Run(64, () => Out(n, d => unary(x, d)))), $"{name} at {bits} bits, n = {n}");
            Assert.True(Run(bits, () => Out(n, d => VectorMath.Map<DivideKernel>(x, y, d))).SequenceEqual(Run(64, () => Out(n, d => VectorMath.Map<DivideKernel>(x, y, d)))), $"divide at {bits} bits, n = {n}");
        }
    }

    [Fact]
    public void AnUnknownWidthIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LaneWidth.Force(96));

    private static double[] Out(int n, Action<double[]> fill)
    {
        var d = new double[n];
        fill(d);
        return d;
    }

    private static double[] Run(int bits, Func<double[]> f)
    {
        using var _ = LaneWidth.Force(bits);
        return f();
    }
}
