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
        FusedChains(report);
        VectorMathBenchmarks.Run(report);
    }

    /// <summary>
    /// A chain of elementwise steps and its gradient (issue #22): each chain as one generated loop (the default) against the
    /// interpreter (UseGeneratedCode = false: a vectorised pass per step, fused by blocks above 32K elements), in the same
    /// rounds, at a size below the block fusion's threshold and one above, in float64 and float32.
    /// </summary>
    public static void FusedChains(Report report)
    {
        foreach (var precision in new[] { Precision.Double, Precision.Single })
            foreach (var (rows, m) in new[] { (16, 256), (64, 4096) })
            {
                var random = new Random(9);
                var X = Graph.Input("X", rows);
                var b = Graph.Variable("b", DenseMatrix.CreateRandom(rows, 1, new MathNet.Numerics.Distributions.Normal(0, 1, random)));
                var s = Graph.Variable("s", 0.7);
                var a = Op.Tanh(X * s + b);
                var y = Op.Sigmoid(a * a - 0.5) * Op.Exp(-a) + Op.Softplus(X);
                var cost = Op.Sum(y);
                Node[] outputs = [cost, .. Gradients.Of(cost, b, s)];
                var feed = new Feed { { X, DenseMatrix.CreateRandom(rows, m, new MathNet.Numerics.Distributions.ContinuousUniform(-2, 2, random)) } };
                var generated = new EvaluationPlan(outputs, precision);
                var interpreted = new EvaluationPlan(outputs, precision) { UseGeneratedCode = false };
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (generated.GeneratedCode?.Contains("void Chain", StringComparison.Ordinal) != true && clock.Elapsed.TotalSeconds < 30) generated.Run(feed);
                int loops = System.Text.RegularExpressions.Regex.Matches(generated.GeneratedCode ?? "", "void Chain").Count;
                double tGenerated = double.MaxValue, tInterpreted = double.MaxValue;
                for (int round = 0; round < 3; round++)
                {
                    tGenerated = Math.Min(tGenerated, Timing.BestSeconds(() => generated.Run(feed)));
                    tInterpreted = Math.Min(tInterpreted, Timing.BestSeconds(() => interpreted.Run(feed)));
                }
                string name = $"{(precision == Precision.Single ? "float32" : "float64")} chain {rows}×{m} + gradient";
                report.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {loops} generated loop(s) {tGenerated * 1e6:F0} µs, interpreted {tInterpreted * 1e6:F0} µs: {tInterpreted / tGenerated:F2}× faster"));
                report.Record($"fused loops {name}", 0, 0, tInterpreted / tGenerated, 0);
            }
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
