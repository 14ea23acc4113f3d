using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

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
        if (!cost.Shape.IsScalar)
            throw new ArgumentException($"A gradient check needs a scalar (1×1) cost, but {cost.Label} is {cost.Shape} (built at {cost.Location}); reduce it first (Op.Sum, Op.Mean).", nameof(cost));
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
