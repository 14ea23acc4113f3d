using System.Globalization;
using System.Text;

namespace GraphDiff;

/// <summary>The result of a gradient check: overall and per-variable differences, the worst element, and the verdict.</summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<VariableCheck> variables, GradientCheckOptions options)
    {
        Variables = variables;
        Options = options;
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

    /// <summary>The settings used.</summary>
    public GradientCheckOptions Options { get; }

    /// <summary>The variables whose own difference is above the threshold.</summary>
    public IEnumerable<VariableCheck> Failing => Variables.Where(v => !(v.Difference < Options.Threshold));

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
        return sb.ToString();
    }
}
