
namespace GraphDiff;

/// <summary>
/// Gradient checking: compares the analytic gradient (the graph's reverse mode) with central finite differences,
/// using the course's measure ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂), overall and per variable.
/// </summary>
public static class GradientCheck
{
    /// <summary>Checks the gradient of <paramref name="model"/>'s cost with respect to each of its parameters.</summary>
    public static GradientCheckReport Run(Model model, Feed? feed = null, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Run(model.Cost, model.Parameters, feed, options);
    }

    /// <summary>
    /// Checks ∂<paramref name="cost"/>/∂v for every variable v in <paramref name="variables"/>. Each element is
    /// nudged by ±ε in place and restored, so the cost is evaluated twice per element checked: use small
    /// instances, or sample elements with <see cref="GradientCheckOptions.ElementsPerVariable"/>.
    /// <paramref name="cost"/> must be 1×1.
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
        var analytic = gradients.Select(g => analyticRun.Tensor(g).Clone()).ToArray();

        // The operands of every operation with kinks (ReLU's 0), kept as outputs so that each nudge can be
        // checked for crossing one: there the difference quotient measures the kink, not the derivative.
        var kinked = Graph.Order([cost]).Where(n => n.Operation.Kinks.Count > 0 || n.Operation.KinkedAtTies).ToArray();
        var costPlan = new EvaluationPlan([cost, .. kinked.Select(n => n.Inputs[0])]);
        var baseline = costPlan.Run(feed);
        var before = kinked.Select(n => baseline.Tensor(n.Inputs[0]).Clone()).ToArray();
        double largestCost = Math.Abs(baseline.Scalar(cost));
        var skipped = new List<string>();
        var random = new Random(options.Seed);
        var numerics = new List<(Tensor Numeric, List<(int Row, int Column)> Kept)>(variables.Count);
        for (int v = 0; v < variables.Count; v++)
        {
            // The variable's own storage: nudging it in place is what the cost plan then reads.
            var value = Tensor.Of(variables[v].Value);
            var elements = Elements(value.Rows, value.Columns, options.ElementsPerVariable, random);
            var numeric = Tensor.Zeros(value.Rows, value.Columns);
            numeric.Fill(double.NaN);
            foreach (var (i, j) in elements)
            {
                double original = value[i, j];
                try
                {
                    value[i, j] = original + options.Epsilon;
                    var plusRun = costPlan.Run(feed);
                    double plus = plusRun.Scalar(cost);
                    var crossed = Crossed(kinked, before, plusRun);
                    value[i, j] = original - options.Epsilon;
                    var minusRun = costPlan.Run(feed);
                    double minus = minusRun.Scalar(cost);
                    crossed ??= Crossed(kinked, before, minusRun);
                    if (crossed is { } kink)
                    {
                        skipped.Add($"{variables[v].Name}[{i}, {j}]: {kink}; skipped");
                        continue;
                    }
                    numeric[i, j] = (plus - minus) / (2 * options.Epsilon);
                    largestCost = Math.Max(largestCost, Math.Max(Math.Abs(plus), Math.Abs(minus)));
                }
                finally
                {
                    value[i, j] = original;
                }
            }
            numerics.Add((numeric, elements.Where(e => !double.IsNaN(numeric[e.Row, e.Column])).ToList()));
        }
        double roundingLevel = RoundingLevel(largestCost, options.Epsilon);
        var results = variables.Select((variable, v) =>
            VariableCheck.Compare(variable, analytic[v], numerics[v].Numeric, numerics[v].Kept, options.Threshold, roundingLevel)).ToList();
        var report = new GradientCheckReport(results, options, roundingLevel, () => Blame.Find(cost, variables, feed, options)) { SkippedAtKinks = skipped };
        _ = report.Culprit;   // found now, at the values checked, before the caller changes them
        return report;
    }

    /// <summary>
    /// How far the central difference (J(θ+ε) − J(θ−ε)) / 2ε can be off through rounding alone: each evaluation of
    /// J is taken to be exact to <see cref="CostUlps"/> units of rounding of its size, and the two errors are divided
    /// by 2ε. With the course's ε = 1e-7 and J ≈ 0.69 that is about 5e-8 (the actual rounding is nearer 2e-9): a
    /// gradient whose elements are far below 1e-2 cannot be confirmed to the course's relative 1e-7, however right.
    /// </summary>
    internal static double RoundingLevel(double cost, double epsilon) => CostUlps * UnitRoundoff * cost / epsilon;   // (K·u·|J| + K·u·|J|) / 2ε

    /// <summary>
    /// Units of rounding an evaluation of the cost is trusted to. A mean over m examples of per-example losses
    /// rounds a few times per example; on the course's set-ups (2-4-1, 2-5-3-1 and 2-20-7-5-1 networks, tanh and
    /// ReLU, m from 50 to 2,000, weights ×0.01) the measured errors stayed below 11. The margin keeps a correct graph
    /// from being failed on rounding, while a real bug (wrong by a fraction of the gradient) stays far above it.
    /// </summary>
    internal const double CostUlps = 64;

    private const double UnitRoundoff = 1.1102230246251565e-16;   // 2⁻⁵³

    /// <summary>Which kinked operation a nudge pushed across a kink, described for the report, or null.</summary>
    private static string? Crossed(Node[] kinked, Tensor[] before, Evaluation run)
    {
        for (int k = 0; k < kinked.Length; k++)
        {
            var kinks = kinked[k].Operation.Kinks;
            var now = run.Tensor(kinked[k].Inputs[0]);
            var was = before[k];
            if (kinked[k].Operation.KinkedAtTies && !kinked[k].Operation.SameSideOfTies(was, now))
                return $"{kinked[k].Operation.Name} input at {kinked[k].Location} has a tie that the nudge broke the other way (the element that wins changed)";
            for (int j = 0; j < was.Columns; j++)
                for (int i = 0; i < was.Rows; i++)
                    foreach (double kink in kinks)
                        if (Math.Sign(was[i, j] - kink) != Math.Sign(now[i, j] - kink))
                            // Exactly on the kink: typically zero weights or biases meeting zero inputs (padding).
                            return was[i, j] == kink
                                ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                                    $"{kinked[k].Operation.Name} input at {kinked[k].Location} sits exactly on its kink at {kink}, where the derivative jumps (start the parameters off zero, e.g. small non-zero biases, to check this element)")
                                : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                                    $"{kinked[k].Operation.Name} input at {kinked[k].Location} is {Math.Abs(was[i, j] - kink):G2} from its kink at {kink}");
        }
        return null;
    }

    /// <summary>Every element in column-major order, or a seeded random sample of <paramref name="limit"/> of them.</summary>
    private static List<(int Row, int Column)> Elements(int rows, int columns, int? limit, Random random)
    {
        var all = new List<(int Row, int Column)>(rows * columns);
        for (int j = 0; j < columns; j++)
            for (int i = 0; i < rows; i++) all.Add((i, j));
        if (limit is not { } n || n >= all.Count) return all;
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(limit), $"ElementsPerVariable must be positive, got {n}.");
        var sample = all.ToArray();
        random.Shuffle(sample);
        return sample.Take(n).OrderBy(e => e.Column).ThenBy(e => e.Row).ToList();
    }

    /// <summary>The course's relative difference ‖a − b‖₂ / (‖a‖₂ + ‖b‖₂), taken as 0 when both are zero.</summary>
    internal static double RelativeDifference(double differenceNorm, double normA, double normB) =>
        normA + normB == 0 ? 0 : differenceNorm / (normA + normB);
}
