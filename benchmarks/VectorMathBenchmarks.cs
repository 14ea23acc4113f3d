using System.Globalization;
using System.Numerics.Tensors;
using GraphDiff.Kernels;
using GraphDiff.Tensors;
using MathNet.Numerics;
using Double = MathNet.Numerics.LinearAlgebra.Double;
using Single = MathNet.Numerics.LinearAlgebra.Single;

namespace GraphDiff.Benchmarks;

/// <summary>
/// Each vectorised function (through <see cref="TensorMath"/>, as the operations call it) on the forced 256-bit (AVX2)
/// path, float64 and float32, on one core, against MathNet's
/// <c>Map</c> with the scalar function (<c>Math</c>'s, <c>MathF</c>'s in float32) on one core too, over the same
/// values, at three sizes: 16,384 elements (in the L2 cache), 10⁶ (the elementwise benchmark's size: 8 MB a double
/// array, in the L3 cache) and 8·10⁶ (64 MB a double array: main memory, where the fastest kernels wait on memory).
/// The two sides are timed in alternation and each keeps its best run, so that a burst of another process's work
/// does not fall on one side only.
/// </summary>
internal static class VectorMathBenchmarks
{
    private static readonly int[] Sizes = [16_384, 1_000_000, 8_000_000];

    private sealed record Function(string Name, Action<double[], double[]> Ours, Func<double, double> Scalar,
        Action<float[], float[]> OursSingle, Func<float, float> ScalarSingle, bool Positive = false);

    private static readonly Function[] Functions =
    [
        new("exp", (x, y) => TensorMath.Exp(x, y), Math.Exp, (x, y) => TensorMath.Exp(x, y), MathF.Exp),
        new("log", (x, y) => TensorMath.Log(x, y), Math.Log, (x, y) => TensorMath.Log(x, y), MathF.Log, Positive: true),
        new("sigmoid", (x, y) => TensorMath.Sigmoid(x, y), v => 1 / (1 + Math.Exp(-v)), (x, y) => TensorMath.Sigmoid(x, y), v => 1 / (1 + MathF.Exp(-v))),
        new("tanh", (x, y) => TensorMath.Tanh(x, y), Math.Tanh, (x, y) => TensorMath.Tanh(x, y), MathF.Tanh),
        new("softplus", (x, y) => TensorMath.Softplus(x, y), v => Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v))),
            (x, y) => TensorMath.Softplus(x, y), v => MathF.Max(v, 0) + MathF.Log(1 + MathF.Exp(-MathF.Abs(v)))),
        new("step", (x, y) => TensorMath.Step(x, y), v => v > 0 ? 1 : 0, (x, y) => TensorMath.Step(x, y), v => v > 0 ? 1 : 0),
        // ReLU is TensorPrimitives.Max(x, 0), as the operation runs it: its own vector code, AVX2 on this machine.
        new("relu", (x, y) => TensorPrimitives.Max(x, 0.0, y), v => Math.Max(v, 0), (x, y) => TensorPrimitives.Max(x, 0f, y), v => MathF.Max(v, 0)),
    ];

    public static void Run(Report report)
    {
        report.Line("Forced AVX2, one core, against MathNet's Map on one core: ns per element, ours / MathNet's, and the ratio");
        report.Line($"{"",-18} {"16,384 (L2)",24} {"10⁶ (L3)",24} {"8·10⁶ (memory)",24}");
        bool multithreaded = Control.MaxDegreeOfParallelism > 1;
        Control.UseSingleThread();
        try
        {
            using var _ = LaneWidth.Force(256);
            foreach (var f in Functions)
                foreach (bool single in new[] { false, true })
                {
                    var cells = new List<string>();
                    foreach (int n in Sizes)
                    {
                        var (ours, theirs) = single ? MeasureSingle(f, n) : MeasureDouble(f, n);
                        double ratio = theirs / ours;
                        cells.Add(string.Create(CultureInfo.InvariantCulture, $"{ours / n * 1e9:F2} / {theirs / n * 1e9:F2} {ratio,5:F1}×"));
                        report.Record($"avx2 {f.Name} {(single ? "float32" : "float64")} {n}", 0, 0, ratio, 0);
                    }
                    report.Line($"{f.Name + (single ? " float32" : " float64"),-18} {cells[0],24} {cells[1],24} {cells[2],24}");
                }
        }
        finally
        {
            if (multithreaded) Control.UseMultiThreading();
        }
    }

    private static (double Ours, double Theirs) MeasureDouble(Function f, int n)
    {
        var random = new Random(n);
        var x = Double.DenseMatrix.Create(n, 1, (_, _) => f.Positive ? random.NextDouble() * 6 + 1e-3 : random.NextDouble() * 6 - 3);
        var y = new Double.DenseMatrix(n, 1);
        double[] xs = x.Values, ys = y.Values;
        return Alternate(() => f.Ours(xs, ys), () => x.Map(f.Scalar, y), n);
    }

    private static (double Ours, double Theirs) MeasureSingle(Function f, int n)
    {
        var random = new Random(n);
        var x = Single.DenseMatrix.Create(n, 1, (_, _) => (float)(f.Positive ? random.NextDouble() * 6 + 1e-3 : random.NextDouble() * 6 - 3));
        var y = new Single.DenseMatrix(n, 1);
        float[] xs = x.Values, ys = y.Values;
        return Alternate(() => f.OursSingle(xs, ys), () => x.Map(f.ScalarSingle, y), n);
    }

    /// <summary>
    /// Our best time and MathNet's, the two timed by turns (three rounds, a short budget each), each side first run
    /// for 0.4 s: long enough for the runtime to replace its first quick compilation of every method on either side
    /// (without it, TensorPrimitives.Max at 16,384 elements measured 0.6× MathNet, then 14× once recompiled).
    /// </summary>
    private static (double Ours, double Theirs) Alternate(Action ours, Action theirs, int n)
    {
        foreach (var side in new[] { ours, theirs })
            for (var warm = System.Diagnostics.Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < 0.4;) side();
        double budget = n > 1_000_000 ? 0.15 : 0.06, best = double.MaxValue, baseline = double.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            best = Math.Min(best, Timing.BestSeconds(ours, budget));
            baseline = Math.Min(baseline, Timing.BestSeconds(theirs, budget, minRuns: 2));
        }
        return (best, baseline);
    }
}
