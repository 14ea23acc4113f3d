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

    [Theory, MemberData(nameof(Widths))]
    public void EveryWidthGivesTheBitsOfOneLane(int bits)
    {
        var random = new Random(bits);
        foreach (int n in new[] { 0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100 })
        {
            var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 60 - 30).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 + 0.5).ToArray();
            foreach (var (name, unary) in new (string, Action<double[], double[]>)[]
                     { ("exp", (a, b) => VectorMath.Exp(a, b)), ("sigmoid", (a, b) => VectorMath.Sigmoid(a, b)), ("tanh", (a, b) => VectorMath.Tanh(a, b)), ("step", (a, b) => VectorMath.Step(a, b)) })
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
