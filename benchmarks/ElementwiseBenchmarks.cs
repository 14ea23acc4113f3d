using GraphDiff.Kernels;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Benchmarks;

/// <summary>The graph's elementwise forward kernels over 10⁶ doubles, against MathNet's <c>Map</c> with a delegate.</summary>
internal static class ElementwiseBenchmarks
{
    public static void Run(Report report)
    {
        var random = new Random(7);
        var x = DenseMatrix.CreateRandom(1000, 1000, new MathNet.Numerics.Distributions.ContinuousUniform(-3, 3, random));
        var y = new DenseMatrix(1000, 1000);
        var input = Graph.Variable("x", x);
        var cases = new (string Name, Operation Op, Func<double, double> Scalar)[]
        {
            ("sigmoid", Op.Sigmoid(input).Operation, v => 1 / (1 + Math.Exp(-v))),
            ("tanh", Op.Tanh(input).Operation, Math.Tanh),
            ("exp", Op.Exp(input).Operation, Math.Exp),
            ("relu", Op.ReLU(input).Operation, v => Math.Max(v, 0)),
        };
        report.Line($"{"elementwise, 10⁶ doubles",-32} {"GraphDiff",10} {"MathNet Map",12} {"speed-up",9}");
        Tensor[] operands = [Tensor.Of(x)];
        var result = Tensor.Of(y);
        foreach (var (name, op, scalar) in cases)
        {
            double ours = Timing.BestSeconds(() => op.Forward(operands, result));
            double theirs = Timing.BestSeconds(() => x.Map(scalar, y));
            report.Line(string.Create(CultureInfo.InvariantCulture, $"{name,-32} {ours * 1e3,8:F2}ms {theirs * 1e3,10:F2}ms {theirs / ours,8:F1}×"));
            report.Record($"elementwise {name}", 0, 0, theirs / ours, 0);
        }
        Float32(report);
        VectorMathBenchmarks.Run(report);
    }

    /// <summary>The float kernels (issue #21) over 10⁶ floats on one core, against the double kernels on the same values, one core.</summary>
    private static void Float32(Report report)
    {
        var random = new Random(8);
        var xd = Enumerable.Range(0, 1_000_000).Select(_ => random.NextDouble() * 6 - 3).ToArray();
        var xf = xd.Select(v => (float)v).ToArray();
        double[] yd = new double[xd.Length];
        float[] yf = new float[xf.Length];
        foreach (var (name, single, both) in new (string, Action, Action)[]
                 {
                     ("sigmoid", () => VectorMath.Sigmoid(xf, yf), () => VectorMath.Sigmoid(xd, yd)),
                     ("tanh", () => VectorMath.Tanh(xf, yf), () => VectorMath.Tanh(xd, yd)),
                     ("exp", () => VectorMath.Exp(xf, yf), () => VectorMath.Exp(xd, yd)),
                 })
        {
            double f = Timing.BestSeconds(single), d = Timing.BestSeconds(both);
            report.Line(string.Create(CultureInfo.InvariantCulture, $"float32 {name} over 10⁶ floats, one core: {f * 1e3:F2} ms, {d / f:F2}× the double kernel's speed ({d * 1e3:F2} ms)"));
        }
    }
}
