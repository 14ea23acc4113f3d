using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>One quantity of a learner's backprop compared with the graph's: its name, difference and verdict.</summary>
/// <param name="Name">As the learner named it: <c>dW1</c>, <c>dZ2</c>, ….</param>
/// <param name="Difference">The course's relative difference ‖yours − graph‖ / (‖yours‖ + ‖graph‖).</param>
/// <param name="CourseConvention">True when it matched m·∂J/∂Z, the course's dZ (A − Y without the 1/m), rather than ∂J/∂Z.</param>
/// <param name="Row">The element that differs most: its row.</param>
/// <param name="Column">Its column.</param>
/// <param name="Yours">Your value there.</param>
/// <param name="Expected">The graph's value there (reverse mode, itself checked against finite differences).</param>
public sealed record LearnerQuantity(string Name, double Difference, bool CourseConvention, int Row, int Column, double Yours, double Expected);

/// <summary>
/// A learner's hand-written backprop checked against the graph: each gradient they computed — for the parameters
/// (<c>dW1</c>, <c>db1</c>, …) and, by name, for intermediates (<c>dZ2</c>, <c>dA1</c>, …) — compared with the
/// graph's reverse mode, in the order backprop computes them, so that the first wrong quantity is named (a wrong
/// <c>dZ1</c>, not just the <c>dW1</c> it spoils). The graph's own gradients are checked against finite
/// differences first, so the reference is known good.
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
    public IReadOnlyList<LearnerQuantity> Quantities { get; }

    /// <summary>The graph's own gradient check (reverse mode against finite differences).</summary>
    public GradientCheckReport Reference { get; }

    /// <summary>The first quantity, in backward order, that differs from the graph's; null when all agree.</summary>
    public LearnerQuantity? FirstWrong => Quantities.FirstOrDefault(q => !(q.Difference < Threshold));

    /// <summary>
    /// Checks <paramref name="yours"/>: gradients by name, <c>d</c> + the name of a variable or of a named node of
    /// the graph of <paramref name="cost"/> (dW1 for W1, dZ2 for Z2), computed by the learner's own code for the
    /// values in <paramref name="feed"/>.
    /// </summary>
    public static LearnerGradients Check(Node cost, Feed? feed, IReadOnlyDictionary<string, Matrix<double>> yours)
    {
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(yours);
        var nodes = Topology.Order([cost]);
        var byName = nodes.Where(n => n.Name is not null && n is not Constant).GroupBy(n => n.Name!).ToDictionary(g => g.Key, g => g.Last());
        var asked = new List<(string Name, Node Node, Matrix<double> Value)>();
        foreach (var (name, value) in yours)
        {
            if (!name.StartsWith('d') || !byName.TryGetValue(name[1..], out var node))
                throw new ArgumentException($"'{name}' names no node of the graph: use d + the name of a variable or named node ({string.Join(", ", byName.Keys.Select(k => "d" + k))}).", nameof(yours));
            asked.Add((name, node, value));
        }
        asked.Sort((a, b) => b.Node.Id.CompareTo(a.Node.Id));   // backward order: the node nearest the output first
        var graph = Gradients.Of(cost, asked.Select(a => a.Node));
        var values = new EvaluationPlan(graph).Run(feed);
        var quantities = new List<LearnerQuantity>();
        for (int k = 0; k < asked.Count; k++)
        {
            var (name, node, value) = asked[k];
            var expected = values.Tensor(graph[k]);
            if (value.RowCount != expected.Rows || value.ColumnCount != expected.Columns)
                throw new ArgumentException($"Your {name} is {value.RowCount}×{value.ColumnCount}, but {node.Label} is {expected.Rows}×{expected.Columns}: a gradient has the shape of what it differentiates.", nameof(yours));
            var plain = Compare(name, Tensor.Of(value), expected, 1.0, false);
            // The course's dZ is m·∂J/∂Z (dZ2 = A2 − Y; the 1/m goes on dW and db): accept that convention too.
            var course = !node.IsLeaf && values.BatchSize > 1 ? Compare(name, Tensor.Of(value), expected, values.BatchSize, true) : plain;
            quantities.Add(course.Difference < plain.Difference ? course : plain);
        }
        var leaves = asked.Select(a => a.Node).OfType<Variable>().ToArray();
        var reference = GradientCheck.Run(cost, leaves.Length > 0 ? leaves : nodes.OfType<Variable>().ToArray(), feed);
        return new LearnerGradients(quantities, reference);
    }

    private static LearnerQuantity Compare(string name, Tensor yours, Tensor expected, double scale, bool course)
    {
        double d2 = 0, y2 = 0, e2 = 0, worst = -1;
        int wi = 0, wj = 0;
        for (int j = 0; j < yours.Columns; j++)
            for (int i = 0; i < yours.Rows; i++)
            {
                double y = yours[i, j], e = expected[i, j] * scale;
                d2 += (y - e) * (y - e); y2 += y * y; e2 += e * e;
                if (Math.Abs(y - e) > worst) { worst = Math.Abs(y - e); (wi, wj) = (i, j); }
            }
        double difference = GradientCheck.RelativeDifference(Math.Sqrt(d2), Math.Sqrt(y2), Math.Sqrt(e2));
        return new LearnerQuantity(name, difference, course, wi, wj, yours[wi, wj], expected[wi, wj] * scale);
    }

    /// <summary>One line per quantity in backward order, the first wrong one marked, then the graph's own check.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var first = FirstWrong;
        sb.AppendLine(first is null ? "Your backprop agrees with the graph's." : $"Your backprop first differs at {first.Name}: fix that one first.");
        foreach (var q in Quantities)
        {
            sb.Append(inv, $"  {q.Name,-8} difference {q.Difference:E3}{(q.CourseConvention ? " (the course's m·∂J/∂Z)" : "")}");
            if (ReferenceEquals(q, first)) sb.Append(inv, $"  <-- first wrong: [{q.Row}, {q.Column}] yours {q.Yours:G8}, expected {q.Expected:G8}");
            sb.AppendLine();
        }
        sb.Append("The graph's own gradients: ").Append(Reference.Verdict);
        return sb.AppendLine().ToString();
    }
}
