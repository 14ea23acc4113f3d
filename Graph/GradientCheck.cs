using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>Settings of a gradient check; the defaults are the course's.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The step ε of the central difference (J(θ+ε) − J(θ−ε)) / 2ε. Default 1e-7.</summary>
    public double Epsilon { get; init; } = 1e-7;

    /// <summary>The check passes when the relative difference is below this. Default 1e-7.</summary>
    public double Threshold { get; init; } = 1e-7;
}

/// <summary>
/// Gradient checking: compares the analytic gradient (the graph's reverse mode) with central finite differences,
/// using the course's measure ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂), overall and per variable.
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Checks ∂<paramref name="cost"/>/∂v for every variable v in <paramref name="variables"/>. Each element is
    /// nudged by ±ε in place and restored, so the cost is evaluated twice per parameter element: use small
    /// instances. <paramref name="cost"/> must be 1×1.
    /// </summary>
    public static GradientCheckReport Run(Node cost, IReadOnlyList<Variable> variables, Feed? feed = null, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(variables);
        options ??= new GradientCheckOptions();
        if (!(options.Epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(options), "Epsilon must be positive.");

        var gradients = Gradients.Of(cost, variables);
        var analyticRun = new EvaluationPlan(gradients).Run(feed);
        var analytic = gradients.Select(g => analyticRun[g].Clone()).ToArray();

        var costPlan = new EvaluationPlan(cost);
        var results = new List<VariableCheck>(variables.Count);
        for (int v = 0; v < variables.Count; v++)
        {
            var value = variables[v].Value;
            var numeric = Matrix<double>.Build.Dense(value.RowCount, value.ColumnCount);
            for (int j = 0; j < value.ColumnCount; j++)
                for (int i = 0; i < value.RowCount; i++)
                {
                    double original = value[i, j];
                    try
                    {
                        value[i, j] = original + options.Epsilon;
                        double plus = costPlan.Run(feed).Scalar(cost);
                        value[i, j] = original - options.Epsilon;
                        double minus = costPlan.Run(feed).Scalar(cost);
                        numeric[i, j] = (plus - minus) / (2 * options.Epsilon);
                    }
                    finally
                    {
                        value[i, j] = original;
                    }
                }
            results.Add(VariableCheck.Compare(variables[v], analytic[v], numeric));
        }
        return new GradientCheckReport(results, options);
    }

    /// <summary>The course's relative difference ‖a − b‖₂ / (‖a‖₂ + ‖b‖₂), taken as 0 when both are zero.</summary>
    public static double RelativeDifference(double differenceNorm, double normA, double normB) =>
        normA + normB == 0 ? 0 : differenceNorm / (normA + normB);
}

/// <summary>The comparison for one variable.</summary>
/// <param name="Variable">The variable checked.</param>
/// <param name="Analytic">∂J/∂v from reverse mode.</param>
/// <param name="Numeric">∂J/∂v from central differences.</param>
/// <param name="Difference">‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂) over this variable.</param>
/// <param name="WorstRow">Row of the element with the largest |g − g̃|.</param>
/// <param name="WorstColumn">Column of that element.</param>
public sealed record VariableCheck(Variable Variable, Matrix<double> Analytic, Matrix<double> Numeric, double Difference, int WorstRow, int WorstColumn)
{
    internal static VariableCheck Compare(Variable variable, Matrix<double> analytic, Matrix<double> numeric)
    {
        var diff = analytic - numeric;
        int worstRow = 0, worstColumn = 0;
        double worst = -1;
        for (int j = 0; j < diff.ColumnCount; j++)
            for (int i = 0; i < diff.RowCount; i++)
            {
                double d = Math.Abs(diff[i, j]);
                if (d > worst || double.IsNaN(d)) { worst = d; worstRow = i; worstColumn = j; }
            }
        double relative = GradientCheck.RelativeDifference(diff.FrobeniusNorm(), analytic.FrobeniusNorm(), numeric.FrobeniusNorm());
        return new VariableCheck(variable, analytic, numeric, relative, worstRow, worstColumn);
    }

    internal double SquaredDifference => Math.Pow((Analytic - Numeric).FrobeniusNorm(), 2);
}

/// <summary>The result of a gradient check: overall and per-variable differences, the worst element, and the verdict.</summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<VariableCheck> variables, GradientCheckOptions options)
    {
        Variables = variables;
        Options = options;
        double diff = Math.Sqrt(variables.Sum(v => v.SquaredDifference));
        double a = Math.Sqrt(variables.Sum(v => Math.Pow(v.Analytic.FrobeniusNorm(), 2)));
        double n = Math.Sqrt(variables.Sum(v => Math.Pow(v.Numeric.FrobeniusNorm(), 2)));
        Difference = GradientCheck.RelativeDifference(diff, a, n);
        Worst = variables.Count == 0 ? null : variables.MaxBy(v => Math.Abs(v.Analytic[v.WorstRow, v.WorstColumn] - v.Numeric[v.WorstRow, v.WorstColumn]));
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
            sb.Append(inv, $"  {v.Variable.Name,-12} {v.Variable.Shape,-10} difference {v.Difference:E3}{(v.Difference < Options.Threshold ? "" : "  <-- wrong")}").AppendLine();
        if (Worst is { } w)
            sb.Append(inv, $"  worst element: {w.Variable.Name}[{w.WorstRow}, {w.WorstColumn}] analytic {w.Analytic[w.WorstRow, w.WorstColumn]:G10}, numeric {w.Numeric[w.WorstRow, w.WorstColumn]:G10}").AppendLine();
        return sb.ToString();
    }
}
