using System.Globalization;
using System.Text;

namespace GraphDiff;

/// <summary>
/// The result of a gradient check: overall and per-variable differences, the worst element, and one outcome that
/// the header, the per-variable marks and the verdict all state alike.
/// </summary>
/// <remarks>
/// The course's measure ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂) is relative, so it fails gradients that are tiny next to the cost
/// (the course's weights ×0.01: ∂J/∂b1 ≈ 1e-6 on J ≈ 0.69), where the numeric estimate is only good to its
/// rounding error, <see cref="RoundingLevel"/>. A variable whose difference is above the threshold but whose every
/// element agrees within that rounding error is <see cref="CheckOutcome.Inconclusive"/>, not failed: the check
/// cannot tell right from wrong there, and says so with the figures. It fails only on a disagreement rounding
/// cannot explain.
/// </remarks>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<VariableCheck> variables, GradientCheckOptions options, double roundingLevel, Func<Culprit?>? blame = null)
    {
        Variables = variables;
        Options = options;
        RoundingLevel = roundingLevel;
        culprit = blame is null ? new Lazy<Culprit?>((Culprit?)null) : new Lazy<Culprit?>(blame);
        Difference = GradientCheck.RelativeDifference(
            Math.Sqrt(variables.Sum(v => v.DifferenceSquares)),
            Math.Sqrt(variables.Sum(v => v.AnalyticSquares)),
            Math.Sqrt(variables.Sum(v => v.NumericSquares)));
        Worst = variables.Where(v => v.CheckedElements > 0).MaxBy(v => double.IsNaN(v.WorstError) ? double.PositiveInfinity : v.WorstError);
        // A variable at rounding level does not spoil the course's overall measure when that passes (its gradients are
        // the small ones); one not checked at all does, since nothing was learned about it.
        Outcome = variables.Any(v => v.Outcome == CheckOutcome.Failed) ? CheckOutcome.Failed
            : variables.All(v => v.Outcome == CheckOutcome.NotChecked) ? CheckOutcome.NotChecked
            : variables.Any(v => v.Outcome == CheckOutcome.NotChecked) || !(Difference < options.Threshold) ? CheckOutcome.Inconclusive
            : CheckOutcome.Passed;
    }

    /// <summary>The relative difference over all variables together (the course's "difference").</summary>
    public double Difference { get; }

    /// <summary>
    /// The conclusion: <see cref="CheckOutcome.Failed"/> when any variable failed; otherwise
    /// <see cref="CheckOutcome.Passed"/> when the course's overall difference is below the threshold and every
    /// variable was checked (a variable at rounding level is named in the verdict); otherwise
    /// <see cref="CheckOutcome.Inconclusive"/>.
    /// </summary>
    public CheckOutcome Outcome { get; }

    /// <summary>True when <see cref="Outcome"/> is <see cref="CheckOutcome.Passed"/>.</summary>
    public bool Passed => Outcome == CheckOutcome.Passed;

    /// <summary>
    /// How far a numeric derivative can be off through rounding alone at this ε (the cost's own rounding error,
    /// divided by 2ε); disagreements below it cannot be told from rounding.
    /// </summary>
    public double RoundingLevel { get; }

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
    /// built it. Never a data operand (an input, a constant, the labels). Null unless <see cref="Outcome"/> is
    /// <see cref="CheckOutcome.Failed"/>, or when no single operation is to blame.
    /// </summary>
    public Culprit? Culprit => Outcome == CheckOutcome.Failed ? culprit.Value : null;

    /// <summary>The settings used.</summary>
    public GradientCheckOptions Options { get; }

    /// <summary>The variables that failed.</summary>
    public IEnumerable<VariableCheck> Failing => Variables.Where(v => v.Outcome == CheckOutcome.Failed);

    /// <summary>
    /// The verdict in the course's terms, always agreeing with <see cref="Outcome"/>: correct; inconclusive (with the
    /// figures: the largest gradient and the rounding level); or, when failed, "look again" for a difference from
    /// 1e−7 to 1e−5 (a kink crossed, or ε too large for these values) and "very likely a bug" above.
    /// </summary>
    public string Verdict => Outcome switch
    {
        CheckOutcome.Passed => "correct: the analytic and numeric gradients agree (difference below " + Format(Options.Threshold) + ")" + AtRoundingLevel("; ") + AllZero(),
        CheckOutcome.NotChecked => "nothing checked: no element of any variable could be compared",
        CheckOutcome.Inconclusive => Inconclusive(),
        _ when Difference < 1e-5 && Failing.All(v => v.Difference < 1e-5) =>
            "look again: a difference between 1e-7 and 1e-5, above rounding (a kink crossed by ±ε, or ε too large for these values)" + StartWith(),
        _ => "very likely a bug: the difference is above 1e-5" + StartWith(),
    };

    private string StartWith() => Culprit is { } c ? $"; start with {c.Node.Operation.Name} at {c.Node.Location}" : "";

    private string Inconclusive()
    {
        var notChecked = Variables.Where(v => v.Outcome == CheckOutcome.NotChecked).Select(v => v.Variable.Name).ToArray();
        var parts = new List<string>();
        if (AtRoundingLevel("") is { Length: > 0 } small)
            parts.Add(small + ", so nothing points to a bug, but these cannot be confirmed (check with larger weights or fewer examples)");
        if (notChecked.Length > 0) parts.Add($"no element of {string.Join(", ", notChecked)} was checked");
        return "inconclusive: " + string.Join("; ", parts);
    }

    /// <summary>
    /// The variables whose every checked derivative is exactly 0 on both sides (every ReLU off, a unit saturated): a
    /// wrong backward pass would agree as well, so the verdict says so; empty when there are none.
    /// </summary>
    private string AllZero()
    {
        var zero = Variables.Where(v => v.CheckedElements > 0 && v.AnalyticSquares == 0 && v.NumericSquares == 0).Select(v => v.Variable.Name).ToArray();
        return zero.Length == 0 ? "" : $"; but every derivative checked for {string.Join(", ", zero)} is exactly 0 at these values (a ReLU off everywhere, a saturated unit), "
            + "where a wrong backward pass would agree too: check again at values where they are not";
    }

    /// <summary>The variables whose gradients are too small to resolve, with the figures; empty when there are none.</summary>
    private string AtRoundingLevel(string prefix)
    {
        var small = Variables.Where(v => v.Outcome == CheckOutcome.Inconclusive).ToArray();
        if (small.Length == 0) return "";
        double largest = small.Max(v => v.Analytic.Enumerate().Max(Math.Abs));
        return prefix + string.Create(CultureInfo.InvariantCulture,
            $"gradients at rounding level for {string.Join(", ", small.Select(v => v.Variable.Name))}: the largest is {largest:G3}, and at ε = {Options.Epsilon:G3} the numeric estimate is only good to ±{RoundingLevel:G2}; every element agrees within that");
    }

    private static string Format(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>A readable report: outcome, overall difference, each variable with its mark, the worst element, and the verdict.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string header = Outcome switch { CheckOutcome.Passed => "passed", CheckOutcome.Failed => "FAILED", CheckOutcome.NotChecked => "NOT CHECKED", _ => "INCONCLUSIVE" };
        sb.Append(inv, $"Gradient check {header}: difference {Difference:E3} (threshold {Options.Threshold:E1}, ε = {Options.Epsilon:E1}, rounding level {RoundingLevel:E1})").AppendLine();
        foreach (var v in Variables)
            sb.Append(inv, $"  {v.Variable.Name,-12} {v.Variable.Shape,-10} ").Append(Line(v)).AppendLine();
        if (Worst is { } w)
            sb.Append(inv, $"  worst element: {w.Variable.Name}[{string.Join(", ", w.Variable.Shape.IndexOf(w.WorstRow, w.WorstColumn))}] analytic {w.Analytic[w.WorstRow, w.WorstColumn]:G10}, numeric {w.Numeric[w.WorstRow, w.WorstColumn]:G10}").AppendLine();
        foreach (var line in SkippedAtKinks) sb.Append("  ").AppendLine(line);
        if (Culprit is { } c) sb.Append("  culprit: ").AppendLine(c.ToString());
        sb.Append("  verdict: ").AppendLine(Verdict);
        return sb.ToString();
    }

    private static string Line(VariableCheck v)
    {
        if (v.Outcome == CheckOutcome.NotChecked) return "not checked: no element could be compared";
        var inv = CultureInfo.InvariantCulture;
        string sampled = v.CheckedElements < v.Analytic.RowCount * v.Analytic.ColumnCount ? $" ({v.CheckedElements} sampled elements)" : "";
        string mark = v.Outcome switch
        {
            CheckOutcome.Failed => "  <-- wrong",
            CheckOutcome.Inconclusive => string.Create(inv, $"  <-- at rounding level (largest |g| {v.Analytic.Enumerate().Max(Math.Abs):G2}, every |g − g̃| below the rounding level)"),
            _ => "",
        };
        return string.Create(inv, $"difference {v.Difference:E3}{sampled}{mark}");
    }
}
