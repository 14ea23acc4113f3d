using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>
/// A learner's hand-written backprop checked against the graph: each gradient they computed — for the parameters
/// (<c>dW1</c>, <c>db1</c>, …) and, by name, for intermediates (<c>dZ2</c>, <c>dA1</c>, …, and the course's
/// <c>dA0</c>, ∂J/∂X) — compared with the graph's reverse mode, in the order backprop computes them, so that the first
/// wrong quantity is named (a wrong <c>dZ1</c>, not just the <c>dW1</c> it spoils). Every quantity gets a line, a
/// wrongly shaped one too; a wrong one names the classic mistake its figures show. The graph's own gradients are
/// checked against finite differences first, so the reference is known good.
/// </summary>
public sealed class LearnerGradients
{
    private const double Threshold = 1e-7;

    private LearnerGradients(IReadOnlyList<LearnerQuantity> quantities, GradientCheckReport reference)
    {
        Quantities = quantities;
        Reference = reference;
    }

    /// <summary>Every quantity given, in backward order (the output's side first).</summary>
    internal IReadOnlyList<LearnerQuantity> Quantities { get; }

    /// <summary>The graph's own gradient check (reverse mode against finite differences).</summary>
    public GradientCheckReport Reference { get; }

    /// <summary>The first quantity, in backward order, that differs from the graph's (or has another shape); null when all agree.</summary>
    internal LearnerQuantity? FirstWrong => Quantities.FirstOrDefault(q => !(q.Difference < Threshold));

    /// <summary>True when every quantity given agrees with the graph's (same shape, relative difference below 1e-7).</summary>
    public bool Correct => FirstWrong is null;

    /// <summary>
    /// Checks <paramref name="yours"/>: gradients by name, <c>d</c> + the name of a variable or of a named node of
    /// the graph of <paramref name="cost"/> (dW1 for W1, dZ2 for Z2; dA0 for the input X, as the course's
    /// L_model_backward names it), computed by the learner's own code for the values in <paramref name="feed"/>.
    /// Intermediates are compared in whichever convention the learner used, ∂J/∂Z or the course's m·∂J/∂Z, told
    /// apart by magnitude so that a flipped sign still shows "expected" in the learner's own convention.
    /// </summary>
    public static LearnerGradients Check(Node cost, Feed? feed, IReadOnlyDictionary<string, Matrix<double>> yours)
    {
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(yours);
        var nodes = Graph.Order([cost]);
        var byName = nodes.Where(n => n.Name is not null && n is not Constant).GroupBy(n => n.Name!).ToDictionary(g => g.Key, g => g.Last());
        // The course calls the input A0 (dA0 = W1ᵀ·dZ1 from L_model_backward).
        if (!byName.ContainsKey("A0") && byName.TryGetValue("X", out var x)) byName["A0"] = x;
        var asked = new List<(string Name, Node Node, Matrix<double> Value)>();
        foreach (var (name, value) in yours)
        {
            if (!name.StartsWith('d') || !byName.TryGetValue(name[1..], out var node))
                throw new ArgumentException($"'{name}' names no node of the graph: use d + the name of a variable or named node ({string.Join(", ", byName.Keys.Select(k => "d" + k))}).", nameof(yours));
            asked.Add((name, node, value));
        }
        asked.Sort((a, b) => b.Node.Id.CompareTo(a.Node.Id));   // backward order: the node nearest the output first
        var graph = Gradients.Of(cost, asked.Select(a => a.Node));
        var values = new EvaluationPlan([.. graph, .. asked.Select(a => a.Node)]).Run(feed);
        var quantities = asked.Select((a, k) => Compare(a.Name, a.Node, a.Value, values[graph[k]], values, nodes)).ToList();
        var leaves = asked.Select(a => a.Node).OfType<Variable>().ToArray();
        var reference = GradientCheck.Run(cost, leaves.Length > 0 ? leaves : nodes.OfType<Variable>().ToArray(), feed);
        return new LearnerGradients(quantities, reference);
    }

    private static LearnerQuantity Compare(string name, Node node, Matrix<double> yours, Matrix<double> derivative, Evaluation values, IReadOnlyList<Node> nodes)
    {
        int m = values.BatchSize;
        if (yours.RowCount != derivative.RowCount || yours.ColumnCount != derivative.ColumnCount)
            return new LearnerQuantity(name, double.PositiveInfinity, false, 0, 0, double.NaN, double.NaN)
            {
                ShapeMismatch = $"{yours.RowCount}×{yours.ColumnCount}, expected {node.Shape.Resolve(m).WithStorage()}",
                Mistake = LearnerMistakes.Shape(yours, derivative, m),
            };
        // The course's dZ and dA are m·∂J/∂Z (dZ2 = A2 − Y); the learner's convention is the one of their magnitude.
        bool course = node is not Variable && m > 1 && Closer(yours.FrobeniusNorm(), m * derivative.FrobeniusNorm(), derivative.FrobeniusNorm());
        var expected = course ? derivative * m : derivative;
        var difference = expected - yours;
        int wi = 0, wj = 0;
        for (int j = 0; j < yours.ColumnCount; j++)
            for (int i = 0; i < yours.RowCount; i++)
                if (Math.Abs(difference[i, j]) > Math.Abs(difference[wi, wj])) (wi, wj) = (i, j);
        double relative = GradientCheck.RelativeDifference(difference.FrobeniusNorm(), yours.FrobeniusNorm(), expected.FrobeniusNorm());
        var quantity = new LearnerQuantity(name, relative, course, wi, wj, yours[wi, wj], expected[wi, wj] + 0.0) { Shape = node.Shape };   // + 0.0: no "-0"
        if (relative < Threshold) return quantity;
        // Where the node is the operand of an operation with kinks (Z under ReLU), its value there tells the kink apart.
        var kinked = nodes.FirstOrDefault(n => n.Operation.Kinks.Count > 0 && n.Inputs.Count > 0 && n.Inputs[0] == node);
        Func<int, int, bool>? kinkAt = null;
        if (kinked is not null)
        {
            var z = values[node];
            var kinks = kinked.Operation.Kinks;
            kinkAt = (i, j) => kinks.Contains(z[i, j]);
        }
        return quantity with { Mistake = LearnerMistakes.Values(yours, expected, m, node is Variable, kinkAt, node.Name ?? "Z") };
    }

    /// <summary>Whether <paramref name="norm"/> is nearer (by ratio) to <paramref name="a"/> than to <paramref name="b"/>.</summary>
    private static bool Closer(double norm, double a, double b) =>
        norm > 0 && a > 0 && b > 0 && Math.Abs(Math.Log(norm / a)) < Math.Abs(Math.Log(norm / b));

    /// <summary>One line per quantity in backward order, the first wrong one marked with its figures, each wrong one with its likely mistake, then the graph's own check.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var first = FirstWrong;
        sb.AppendLine(first is null ? "Your backprop agrees with the graph's." : $"Your backprop first differs at {first.Name}: fix that one first.");
        foreach (var q in Quantities)
        {
            if (q.ShapeMismatch is { } shapes)
            {
                sb.Append(inv, $"  {q.Name,-8} shape {shapes}  <-- wrong shape: {q.Mistake}").AppendLine();
                continue;
            }
            sb.Append(inv, $"  {q.Name,-8} difference {q.Difference:E3}{(q.CourseConvention ? $" (the course's m·∂J/∂{q.Name[1..]})" : "")}");
            if (ReferenceEquals(q, first)) sb.Append(inv, $"  <-- first wrong: [{string.Join(", ", q.Shape.IndexOf(q.Row, q.Column))}] yours {q.Yours:G8}, expected {q.Expected:G8}");
            else if (!(q.Difference < Threshold)) sb.Append("  <-- wrong");
            if (q.Mistake is { } mistake) sb.Append("; ").Append(mistake);
            sb.AppendLine();
        }
        sb.Append("The graph's own gradients: ").Append(Reference.Verdict);
        return sb.AppendLine().ToString();
    }
}
