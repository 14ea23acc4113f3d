using GraphDiff.Kernels;
using GraphDiff.Tensors;

namespace GraphDiff.Tests;

/// <summary>
/// TensorMath's span functions against scalar references at every length around the register widths (0..33: up to
/// four registers and one, with two registers a step, at every width) and softplus's 512-element blocks, at every
/// lane width, in place and not, and their argument checks.
/// </summary>
/// <remarks>Not run in parallel with other tests: forcing the lane width is process-wide, and beside other tests it
/// changed their products' last bits mid-run (PlanHistoryTests caught a reused plan differing by 8e-16).</remarks>
[Collection(nameof(Reliability.LaneWidthTests))]
public class TensorMathElementwiseTests
{
    private delegate void SpanFunction(ReadOnlySpan<double> x, Span<double> destination);

    private static readonly (string Name, SpanFunction Run, Func<double, double> Reference, double Ulps)[] Functions =
    [
        ("Exp", TensorMath.Exp, Math.Exp, 2),
        ("Log", TensorMath.Log, Math.Log, 2),
        ("Sigmoid", TensorMath.Sigmoid, v => 1 / (1 + Math.Exp(-v)), 4),
        ("Tanh", TensorMath.Tanh, Math.Tanh, 4),
        ("Softplus", TensorMath.Softplus, v => Math.Max(v, 0) + Log1p(Math.Exp(-Math.Abs(v))), 4),
        ("Log1pExpNegativeAbs", TensorMath.Log1pExpNegativeAbs, v => Log1p(Math.Exp(-Math.Abs(v))), 4),
        ("Step", TensorMath.Step, v => double.IsNaN(v) ? double.NaN : v > 0 ? 1 : 0, 0),
    ];

    public static TheoryData<int, int> LengthsAndWidths()
    {
        var data = new TheoryData<int, int>();
        foreach (int bits in new[] { 64, 128, 256, 512 })
            foreach (int n in Enumerable.Range(0, 34).Concat([255, 256, 257, 511, 512, 513, 600, 1025]))
                data.Add(n, bits);
        return data;
    }

    [Theory, MemberData(nameof(LengthsAndWidths))]
    public void EveryFunctionMatchesItsScalarReferenceInPlaceOrNot(int n, int bits)
    {
        using var _ = LaneWidth.Force(bits);
        var random = new Random(n * 7 + bits);
        // Magnitudes from 1e-9 to 700, both signs (positive only for log); the tails of every block are covered by n.
        var x = Enumerable.Range(0, n).Select(_ => (random.Next(2) * 2 - 1) * Math.Pow(10, random.NextDouble() * 11.8 - 9)).ToArray();
        foreach (var (name, run, reference, ulps) in Functions)
        {
            var input = name == "Log" ? x.Select(Math.Abs).ToArray() : x;
            var y = Enumerable.Repeat(-12345.0, n + 2).ToArray();   // longer than x: the rest must stay as it was
            run(input, y);
            for (int i = 0; i < n; i++)
                Assert.True(Ulps(y[i], reference(input[i])) <= ulps,
                    $"{name}({input[i]:R}) at {bits} bits, length {n}: {y[i]:R}, expected {reference(input[i]):R}");
            Assert.Equal([-12345.0, -12345.0], y[n..]);

            var inPlace = (double[])input.Clone();
            run(inPlace, inPlace);
            for (int i = 0; i < n; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(inPlace[i]) == BitConverter.DoubleToInt64Bits(y[i]),
                    $"{name}({input[i]:R}) in place at {bits} bits, length {n}: {inPlace[i]:R}, out of place {y[i]:R}");
        }
    }

    [Fact]
    public void NaNStaysNaNAndTheEdgesHold()
    {
        double[] x = [double.NaN, 1000, -1000, 0, -0.0];
        var y = new double[x.Length];
        foreach (var (name, run, _, _) in Functions)
        {
            run(x, y);
            Assert.True(double.IsNaN(y[0]), $"{name}(NaN) = {y[0]}");
        }
        TensorMath.Sigmoid(x, y);
        Assert.Equal([1.0, 0.0], y[1..3]);
        TensorMath.Softplus(x, y);
        Assert.Equal(1000.0, y[1]);
        TensorMath.Tanh(x, y);
        Assert.True(double.IsNegative(y[4]), "tanh(−0) keeps the sign");
        TensorMath.Log1pExpNegativeAbs([700.0], y);
        Assert.True(y[0] > 0, "log(1 + e^−700) is tiny, not 0");
    }

    [Fact]
    public void AShortOrShiftedDestinationIsRefused()
    {
        foreach (var (name, run, _, _) in Functions)
        {
            var shortOne = Assert.Throws<ArgumentException>(() => run(new double[9], new double[8]));
            Assert.Contains("8 elements for 9", shortOne.Message);
            var storage = new double[20];
            var shifted = Assert.Throws<ArgumentException>(() => run(storage.AsSpan(0, 10), storage.AsSpan(1, 10)));
            Assert.Contains("shifted by", shifted.Message);
            run(storage.AsSpan(0, 10), storage.AsSpan(10, 10));   // disjoint parts of one array are fine
        }
    }

    private static double Ulps(double actual, double expected)
    {
        if (actual.Equals(expected)) return 0;   // NaN = NaN, ∞ = ∞, and 0 = −0 for step
        double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
        return Math.Abs(actual - expected) / Math.Max(ulp, double.Epsilon);
    }

    /// <summary>log(1 + x) accurate for tiny x (Goldberg's identity).</summary>
    private static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * (x / (u - 1));
    }
}
