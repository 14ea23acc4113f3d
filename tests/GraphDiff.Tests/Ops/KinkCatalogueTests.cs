using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// Every built-in operation with a kink declares it (<see cref="Operation.Kinks"/>), since gradient checks and blame keep
/// away only from declared kinks: each builder of <see cref="Op"/> is scanned along each operand over a grid of
/// points (0, ±1, ±2, the operation's own parameters such as Clip's bounds, the other operands' value), and where the
/// left and right difference quotients disagree, a node of the built graph must declare a kink between the two
/// nudges. An undeclared one fails the test, naming the builder, operand and point.
/// </summary>
public class KinkCatalogueTests
{
    private const double H = 1e-6;
    private const double Base = 0.3;

    [Fact]
    public void EveryBuiltInOperationDeclaresEachPointWhereItsOneSidedDerivativesDisagree()
    {
        var entries = OperationCatalogue.Of(typeof(Op));
        Assert.True(entries.Count >= 20, $"only {entries.Count} builders found");
        var undeclared = entries.SelectMany(e => Undeclared(e.Node, e.Derivatives.Select(d => d.Operand).ToArray()).Select(u => $"{e.Builder}: {u}")).ToList();
        Assert.True(undeclared.Count == 0, string.Join("\n", undeclared));
    }

    [Fact]
    public void TheScanFindsAKinkAnOperationDoesNotDeclareAndAcceptsItOnceDeclared()
    {
        static void Relu(ReadOnlySpan<double> x, Span<double> y) { for (int i = 0; i < x.Length; i++) y[i] = Math.Max(x[i], 0); }
        var silent = new Elementwise("SilentReLU", Relu, derivative: (z, a) => Op.Step(z));
        var declared = new Elementwise("DeclaredReLU", Relu, derivative: (z, a) => Op.Step(z), kinks: 0);
        var x = Graph.Variable("x", Matrix<double>.Build.Dense(2, 3, Base));
        var found = Undeclared(silent.Apply(x), [x]);
        Assert.True(found.Count == 1 && found[0].StartsWith("operand x at 0: left 0, right ", StringComparison.Ordinal), string.Join("\n", found));
        Assert.Empty(Undeclared(declared.Apply(x), [x]));
    }

    /// <summary>Each point where the one-sided difference quotients of Σ w∘node disagree and no kinked node's operand crosses its kink.</summary>
    private static List<string> Undeclared(Node node, IReadOnlyList<Variable> operands)
    {
        var graph = Graph.Order([node]);
        var kinked = graph.Where(n => n.Operation.Kinks.Count > 0).ToArray();
        var tiedNodes = graph.Where(n => n.Operation.KinkedAtTies).ToArray();
        var tied = Enumerable.Range(0, tiedNodes.Length);
        var plan = new EvaluationPlan([node, .. kinked.Select(n => n.Inputs[0]), .. tiedNodes.Select(n => n.Inputs[0])], compile: null) { CheckFinite = false };
        var parameters = graph.Where(n => !n.IsLeaf).SelectMany(n => n.Operation.Attributes.Values);
        var grid = new[] { -2, -1, -0.5, 0, Base, 0.5, 1, 2 }.Concat(parameters).Concat(parameters.Select(p => -p)).Distinct().Order().ToArray();
        var weights = new Random(3);
        var w = Matrix<double>.Build.Dense(Math.Max(node.Shape.Rows, 1), Math.Max(node.Shape.Columns, 1), (_, _) => 0.5 + weights.NextDouble());
        var found = new List<string>();
        foreach (var operand in operands)
        {
            foreach (var o in operands) o.Value.MapInplace(_ => Base);
            foreach (double x0 in grid)
            {
                // Copied at once: the plan's buffers hold only its latest run.
                var runs = new[] { x0 - H, x0, x0 + H }.Select(x =>
                {
                    operand.Value[0, 0] = x;
                    var run = plan.Run(null);
                    return (F: run[node].PointwiseMultiply(w).Enumerate().Sum(), Kinked: kinked.Select(k => run[k.Inputs[0]].Clone()).ToArray(),
                        Tied: tiedNodes.Select(k => run[k.Inputs[0]].Clone()).ToArray());
                }).ToArray();
                var f = runs.Select(r => r.F).ToArray();
                if (!f.All(double.IsFinite)) continue;   // outside the domain (log, sqrt): not a kink
                double left = (f[1] - f[0]) / H, right = (f[2] - f[1]) / H;
                if (Math.Abs(left - right) <= 1e-3 * (1 + Math.Abs(left) + Math.Abs(right))) continue;
                bool crossesDeclared = kinked.Select((k, n) => (k, n)).Any(kn => kn.k.Operation.Kinks.Any(kink =>
                    runs[0].Kinked[kn.n].Enumerate().Zip(runs[2].Kinked[kn.n].Enumerate()).Any(p => Math.Sign(p.First - kink) != Math.Sign(p.Second - kink))));
                // A maximum's kink is a tie between two of its operand's values: the nudge changed their order.
                crossesDeclared |= tied.Any(t =>
                {
                    var (before, after) = (runs[0].Tied[t].Enumerate().ToArray(), runs[2].Tied[t].Enumerate().ToArray());
                    return Enumerable.Range(0, before.Length).Any(i => Enumerable.Range(0, i).Any(k => Math.Sign(before[i] - before[k]) != Math.Sign(after[i] - after[k])));
                });
                if (!crossesDeclared)
                    found.Add(FormattableString.Invariant($"operand {operand.Name} at {x0:G6}: left {left:G3}, right {right:G3}"));
            }
            operand.Value[0, 0] = Base;
        }
        return found;
    }
}
