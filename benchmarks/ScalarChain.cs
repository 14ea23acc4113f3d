using System.Diagnostics;
using System.Globalization;

namespace GraphDiff.Benchmarks;

/// <summary>
/// A scalar chain of 10,000 steps, s = s·1.0001 + 0.5, written with C# operators as a user would: the cost per
/// chain step of building the graph, differentiating and compiling it (once), and of re-running the compiled
/// plan forward and backward (many times). Per-node overhead, with no arithmetic to hide it.
/// </summary>
internal static class ScalarChain
{
    private const int Steps = 10_000;

    public static void Run(Report report)
    {
        Build(out _, out _);   // warm-up: JIT and the first stack walk's symbol loading
        var clock = Stopwatch.StartNew();
        Build(out var plan, out var run);
        double buildSeconds = clock.Elapsed.TotalSeconds;
        double runSeconds = Timing.BestSeconds(run, budgetSeconds: 1);
        double buildMicros = buildSeconds / Steps * 1e6, runMicros = runSeconds / Steps * 1e6;
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"scalar chain of {Steps:N0} steps (s = s·1.0001 + 0.5), {plan.Steps.Count:N0} plan steps: build + gradient + compile {buildMicros:F2} µs per step, re-run forward + backward {runMicros:F3} µs per step"));
        report.Record("chain build", 0, 0, buildMicros, 0);
        report.Record("chain run", 0, 0, runMicros, 0);
    }

    private static void Build(out EvaluationPlan plan, out Action run)
    {
        var x = Graph.Variable("x", 1.0);
        Node s = x;
        for (int k = 0; k < Steps; k++) s = s * 1.0001 + 0.5;
        var dx = Gradients.Of(s, x)[x];
        var p = new EvaluationPlan(s, dx);
        p.Run();
        plan = p;
        run = () => p.Run();
    }
}
