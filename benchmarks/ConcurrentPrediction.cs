using System.Diagnostics;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Benchmarks;

/// <summary>
/// How a network serves predictions from several threads (a web service): the pool of plans it ships with,
/// against one plan behind a lock and a new plan per call. Figures are calls per second on all cores, and
/// ratios against the lock measured in the same run.
/// </summary>
internal static class ConcurrentPrediction
{
    public static void Run(Report report)
    {
        var net = Network.Create([784, 128, 64, 1]);
        foreach (int m in new[] { 1, 64 })
        {
            var x = DenseMatrix.Create(784, m, (i, j) => ((i * 31 + j * 17) % 256) / 255.0);
            var shared = new EvaluationPlan(net.Output);
            var gate = new object();
            Matrix<double> Locked() { lock (gate) return shared.Run(new Feed { { net.X, x } })[net.Output].Clone(); }
            Matrix<double> PerCall() { var plan = new EvaluationPlan(net.Output); return plan.Run(new Feed { { net.X, x } })[net.Output].Clone(); }

            double pool = CallsPerSecond(() => net.PredictProbabilities(x));
            double locked = CallsPerSecond(() => Locked());
            double perCall = CallsPerSecond(() => PerCall());
            report.Line($"concurrent prediction 784-128-64-1, m = {m}, {Environment.ProcessorCount} threads: " +
                        $"pool {pool:F0} calls/s ({pool / locked:F2}× lock), lock {locked:F0} calls/s, plan per call {perCall:F0} calls/s ({perCall / locked:F2}× lock)");
            report.Record($"concurrent prediction m={m}", 0, 0, pool / locked, 0);
        }
    }

    /// <summary>Calls per second with every core calling at once, best of three rounds.</summary>
    private static double CallsPerSecond(Func<Matrix<double>> call)
    {
        int threads = Environment.ProcessorCount;
        call();
        double best = 0;
        for (int round = 0; round < 3; round++)
        {
            long calls = 0;
            var clock = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                long mine = 0;
                while (clock.Elapsed.TotalSeconds < 0.4) { call(); mine++; }
                Interlocked.Add(ref calls, mine);
            })).ToArray();
            foreach (var w in workers) w.Start();
            foreach (var w in workers) w.Join();
            best = Math.Max(best, calls / clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}
