using System.Globalization;
using System.Text;

namespace GraphDiff;

/// <summary>The result of a gradient check: overall and per-variable differences, the worst element, and the verdict.</summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<VariableCheck> variables, GradientCheckOptions options, Func<Culprit?>? blame = null)
    {
        Variables = variables;
        Options = options;
        culprit = blame is null ? new Lazy<Culprit?>((Culprit?)null) : new Lazy<Culprit?>(blame);
        Difference = GradientCheck.RelativeDifference(
            Math.Sqrt(variables.Sum(v => v.DifferenceSquares)),
            Math.Sqrt(variables.Sum(v => v.AnalyticSquares)),
            Math.Sqrt(variables.Sum(v => v.NumericSquares)));
        Worst = variables.Where(v => v.CheckedElements > 0).MaxBy(v => double.IsNaN(v.WorstError) ? double.PositiveInfinity : v.WorstError);
    }

    /// <summary>The relative difference over all variables together (the course's "difference").</summary>
    public double Difference { get; }

    /// <summary>True when <see cref="Difference"/> is below the threshold and finite.</summary>
    public bool Passed => Difference < Options.Threshold;

    /// <summary>Each variable's own comparison.</summary>
    public IReadOnlyList<VariableCheck> Variables { get; }

    /// <summary>The variable holding the element with the largest absolute disagreement.</summary>
    public VariableCheck? Worst { get; }

    private readonly Lazy<Culprit?> culprit;

    /// <summary>
    /// Elements left out of the verdict because nudging them by ±ε pushed an operation's operand across a kink
    /// (ReLU's 0), where the difference quotient measures the kink rather than the derivative; one line each.
    /// </summary>
    public IReadOnlyList<string> SkippedAtKinks { get; init; } = [];

    /// <summary>
    /// When the check failed: the first operation, in forward order, whose own local derivative disagrees with
    /// finite differences of its own forward at this evaluation's values — the node to fix, with the line that
    /// built it. Null when the check passed or no single operation is to blame.
    /// </summary>
    public Culprit? Culprit => Passed ? null : culprit.Value;

    /// <summary>The settings used.</summary>
    public GradientCheckOptions Options { get; }

    /// <summary>The variables whose own difference is above the threshold.</summary>
    public IEnumerable<VariableCheck> Failing => Variables.Where(v => !(v.Difference < Options.Threshold));

    /// <summary>
    /// The verdict in the course's terms: below 1e−7 the gradients are correct; from 1e−7 to 1e−5, look again
    /// (a kink crossed, or ε too large for these values); above 1e−5, there is very likely a bug.
    /// </summary>
    public string Verdict => Difference switch
    {
        < 1e-7 => "correct: the analytic and numeric gradients agree (difference below 1e-7)",
        < 1e-5 => "look again: the difference is between 1e-7 and 1e-5 (a kink crossed by ±ε, or ε too large for these values)",
        _ => "very likely a bug: the difference is above 1e-5" + (Culprit is { } c ? $"; start with {c.Node.Operation.Name} at {c.Node.Location}" : ""),
    };

    /// <summary>A readable report: verdict, overall difference, each variable, and the worst element.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"Gradient check {(Passed ? "passed" : "FAILED")}: difference {Difference:E3} (threshold {Options.Threshold:E1}, ε = {Options.Epsilon:E1})").AppendLine();
        foreach (var v in Variables)
            sb.Append(inv, $"  {v.Variable.Name,-12} {v.Variable.Shape,-10} difference {v.Difference:E3}" +
                           $"{(v.CheckedElements < v.Analytic.RowCount * v.Analytic.ColumnCount ? $" ({v.CheckedElements} sampled elements)" : "")}" +
                           $"{(v.Difference < Options.Threshold ? "" : "  <-- wrong")}").AppendLine();
        if (Worst is { } w)
            sb.Append(inv, $"  worst element: {w.Variable.Name}[{w.WorstRow}, {w.WorstColumn}] analytic {w.Analytic[w.WorstRow, w.WorstColumn]:G10}, numeric {w.Numeric[w.WorstRow, w.WorstColumn]:G10}").AppendLine();
        foreach (var line in SkippedAtKinks) sb.Append("  ").AppendLine(line);
        if (Culprit is { } c) sb.Append("  culprit: ").AppendLine(c.ToString());
        sb.Append("  verdict: ").AppendLine(Verdict);
        return sb.ToString();
    }
}
