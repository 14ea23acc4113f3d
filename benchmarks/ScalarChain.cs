using System.Diagnostics;
using System.Globalization;

namespace GraphDiff.Benchmarks;

/// <summary>
/// A scalar chain of 10,000 steps, s = s·1.0001 + 0.5, written with C# operators as a user would: the cost per
/// node of building the graph (source lines included), differentiating it and planning it (once), and of
/// re-running the plan forward and backward (many times). Per-node overhead, with no arithmetic to hide it.
/// </summary>
internal static class ScalarChain
{
    private const int Steps = 10_000;

    public static void Run(Report report)
    {
        Measure(out _);   // warm-up: JIT and the first stack walk's symbol loading
        var m = Measure(out var plan);
        int nodes = m.ForwardNodes + m.GradientNodes;
        double buildMicros = (m.Forward + m.Gradient) / nodes * 1e6;
        // An operation is a plan step that computes (the others bind leaves).
        int operations = plan.Steps.Count(n => !n.IsLeaf);
        var generation = Stopwatch.StartNew();
        while (plan.GeneratedCode is null && generation.Elapsed.TotalSeconds < 120) plan.Run();   // generated in the background meanwhile
        double generationSeconds = generation.Elapsed.TotalSeconds;
        double runNanos = Timing.BestSeconds(() => plan.Run(), budgetSeconds: 1) / operations * 1e9;
        plan.UseGeneratedCode = false;
        double interpretedNanos = Timing.BestSeconds(() => plan.Run(), budgetSeconds: 1) / operations * 1e9;
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"scalar chain of {Steps:N0} steps (s = s·1.0001 + 0.5): {m.ForwardNodes:N0} forward nodes built in {m.Forward / m.ForwardNodes * 1e6:F2} µs each, {m.GradientNodes:N0} gradient nodes in {m.Gradient / Math.Max(1, m.GradientNodes) * 1e6:F2} µs each ({buildMicros:F2} µs per node with source lines; {m.ForwardUnlocated / m.ForwardNodes * 1e6:F2} µs per forward node without); plan {m.Plan / plan.Steps.Count * 1e6:F2} µs per step"));
        // The floor of a located operator: one read of the caller's frame, as an operator does it (one per operator,
        // two per step of four nodes), at the depth the chain is built at.
        double walkMicros = Timing.BestSeconds(() => { for (int k = 0; k < 1000; k++) SourceLocation.FromStack(libraryFrames: 0); }, budgetSeconds: 0.5) * 1e3;
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"  the stack read alone: {walkMicros:F2} µs per operator ({walkMicros / 2:F2} µs per forward node), with no node built"));
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"  re-run forward + backward, {operations:N0} operations: generated code {runNanos:F2} ns per operation (generated in the background in {generationSeconds:F2} s), interpreter {interpretedNanos:F1} ns ({interpretedNanos / runNanos:F0}× slower)"));
        report.Record("chain build", 0, 0, buildMicros, 0);
        report.Record("chain run", 0, 0, runNanos / 1000, 0);
    }

    private readonly record struct Timings(double Forward, double ForwardUnlocated, double Gradient, double Plan, int ForwardNodes, int GradientNodes);

    private static Timings Measure(out EvaluationPlan plan)
    {
        var clock = Stopwatch.StartNew();
        var (x, s) = Chain();
        double forward = clock.Elapsed.TotalSeconds;
        int forwardNodes = Graph.Order([s]).Count;

        SourceLocation.CaptureForOperators = false;
        clock.Restart();
        Chain();
        double unlocated = clock.Elapsed.TotalSeconds;
        SourceLocation.CaptureForOperators = true;

        clock.Restart();
        var dx = Gradients.Of(s, x)[x];
        double gradient = clock.Elapsed.TotalSeconds;
        int gradientNodes = Graph.Order([s, dx]).Count - forwardNodes;

        clock.Restart();
        plan = new EvaluationPlan(s, dx);
        plan.Run();
        double planning = clock.Elapsed.TotalSeconds;
        return new Timings(forward, unlocated, gradient, planning, forwardNodes, gradientNodes);
    }

    private static (Variable X, Node S) Chain()
    {
        var x = Graph.Variable("x", 1.0);
        Node s = x;
        for (int k = 0; k < Steps; k++) s = s * 1.0001 + 0.5;
        return (x, s);
    }
}
