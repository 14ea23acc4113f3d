using System.Diagnostics;

namespace GraphDiff.Benchmarks;

internal static class Timing
{
    /// <summary>
    /// The best time of repeated runs of <paramref name="action"/> (after one warm-up), repeating until about
    /// <paramref name="budgetSeconds"/> is spent or <paramref name="maxRuns"/> runs are done. The minimum is the
    /// figure least disturbed by the other work on a noisy machine.
    /// </summary>
    public static double BestSeconds(Action action, double budgetSeconds = 0.5, int maxRuns = 50, int minRuns = 3)
    {
        action();
        double best = double.MaxValue, spent = 0;
        for (int run = 0; run < maxRuns && (run < minRuns || spent < budgetSeconds); run++)
        {
            var sw = Stopwatch.StartNew();
            action();
            double s = sw.Elapsed.TotalSeconds;
            best = Math.Min(best, s);
            spent += s;
        }
        return best;
    }
}
