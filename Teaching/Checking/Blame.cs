namespace GraphDiff;

/// <summary>
/// Finds the node whose local derivative is wrong: each operation's vector-Jacobian product, for a random
/// upstream gradient, is compared with central differences of that operation's own forward at the operand
/// values of this evaluation, node by node in forward order; the first that disagrees beyond rounding is the
/// culprit, reported with its local derivative ∂y/∂x at the failing element (f′(x) for an elementwise operation).
/// Operands that depend on no checked variable (inputs, constants, labels) are data, never blamed: their
/// gradient was not asked for. Elements within 10ε of a declared kink (ReLU's 0) are skipped.
/// </summary>
internal static class Blame
{
    private const int ElementsPerOperand = 24;
    private const double Threshold = 1e-5;
    private const int OutputsTried = 8;

    public static Culprit? Find(Node cost, IReadOnlyList<Variable> variables, Feed? feed, GradientCheckOptions options)
    {
        try { return Search(cost, variables, feed, options); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NonFiniteValueException)
        {
            return null;   // an operation the search cannot re-run on its own: the report keeps the per-variable verdict
        }
    }

    private static Culprit? Search(Node cost, IReadOnlyList<Variable> variables, Feed? feed, GradientCheckOptions options)
    {
        var order = Graph.Order([cost]);
        var checkedVariables = variables.ToHashSet<Node>();
        var dependsOnVariable = Graph.DependingOn(order, checkedVariables.Contains);
        var values = new EvaluationPlan(order.Where(n => n is not Constant), compile: null) { ReuseBuffers = false, Fuse = false }.Run(feed);
        Tensor ValueOf(Node n) => n is Constant c ? Materialize(c, values.BatchSize) : values.Tensor(n);
        var random = new Random(options.Seed);
        foreach (var node in order)
        {
            if (node.IsLeaf || !dependsOnVariable.Contains(node)) continue;
            var operands = node.Inputs.Select(ValueOf).ToArray();
            var y = ValueOf(node);
            var u = Tensor.Zeros(y.Rows, y.Columns);
            for (int j = 0; j < u.Columns; j++) for (int i = 0; i < u.Rows; i++) u[i, j] = random.NextDouble() * 2 - 1;
            var upstream = Graph.Input("upstream", node.Shape);
            var vjps = node.Operation.Backward(node, upstream);
            for (int k = 0; k < operands.Length; k++)
            {
                if (vjps[k] is not { } vjp || !dependsOnVariable.Contains(node.Inputs[k])) continue;
                var plan = new EvaluationPlan([vjp], compile: null) { ReuseBuffers = false, Fuse = false };
                var analytic = plan.Run(Backprop.WithUpstream(feed, upstream, u)).Tensor(vjp).Clone();
                if (Check(node, operands, k, u, analytic, options.Epsilon, random) is { } at)
                    return Local(node, operands, k, at, options.Epsilon, y, e => plan.Run(Backprop.WithUpstream(feed, upstream, e)).Tensor(vjp));
            }
        }
        return null;
    }

    /// <summary>The worst element of operand <paramref name="k"/> when its vector-Jacobian product disagrees beyond rounding; else null.</summary>
    private static (int Row, int Column)? Check(Node node, Tensor[] operands, int k, Tensor u, Tensor analytic, double epsilon, Random random)
    {
        var x = operands[k];
        var kinks = node.Operation.Kinks;
        var elements = Enumerable.Range(0, x.Length).Select(e => (Row: e % Math.Max(1, x.Rows), Column: e / Math.Max(1, x.Rows))).ToArray();
        random.Shuffle(elements);
        double differenceSquares = 0, analyticSquares = 0, numericSquares = 0, worstError = -1, scale = 0;
        (int, int)? worst = null;
        var copies = operands.Select(o => o.Clone()).ToArray();
        var result = Tensor.Zeros(u.Rows, u.Columns);
        foreach (var (i, j) in elements.Take(ElementsPerOperand))
        {
            double original = x[i, j];
            if (kinks.Any(kink => Math.Abs(original - kink) < 10 * epsilon)) continue;
            copies[k][i, j] = original + epsilon;
            node.Operation.Forward(copies, result);
            var (plus, plusScale) = Dot(u, result);
            copies[k][i, j] = original - epsilon;
            node.Operation.Forward(copies, result);
            var (minus, minusScale) = Dot(u, result);
            copies[k][i, j] = original;
            scale = Math.Max(scale, Math.Max(plusScale, minusScale));
            double numeric = (plus - minus) / (2 * epsilon), a = analytic[i, j];
            differenceSquares += (a - numeric) * (a - numeric);
            analyticSquares += a * a;
            numericSquares += numeric * numeric;
            if (!(Math.Abs(a - numeric) <= worstError)) { worstError = Math.Abs(a - numeric); worst = (i, j); }
        }
        double difference = GradientCheck.RelativeDifference(Math.Sqrt(differenceSquares), Math.Sqrt(analyticSquares), Math.Sqrt(numericSquares));
        // Beyond the course's relative measure, the disagreement must exceed what rounding of u·f(x) can explain:
        // a local derivative that is tiny next to its output (BCE's ∂J/∂A over many examples) is not a culprit.
        bool beyondRounding = !(worstError <= GradientCheck.RoundingLevel(scale, epsilon));
        return (difference > Threshold || double.IsNaN(difference)) && beyondRounding ? worst : null;
    }

    /// <summary>
    /// The local derivative at the failing element, as a learner computes it: ∂y[p, q]/∂x[i, j] from Backward with
    /// a one-hot upstream at [p, q], and from central differences of the forward, at the output element where the
    /// two disagree most (for an elementwise operation, [i, j] itself: f′(x)).
    /// </summary>
    private static Culprit Local(Node node, Tensor[] operands, int k, (int Row, int Column) at, double epsilon, Tensor y, Func<Tensor, Tensor> backward)
    {
        var copies = operands.Select(o => o.Clone()).ToArray();
        var plus = Tensor.Zeros(y.Rows, y.Columns);
        var minus = Tensor.Zeros(y.Rows, y.Columns);
        double original = operands[k][at.Row, at.Column];
        copies[k][at.Row, at.Column] = original + epsilon;
        node.Operation.Forward(copies, plus);
        copies[k][at.Row, at.Column] = original - epsilon;
        node.Operation.Forward(copies, minus);
        var outputs = Enumerable.Range(0, y.Length).Select(e => (Row: e % y.Rows, Column: e / y.Rows))
            .Select(o => (o.Row, o.Column, Numeric: (plus[o.Row, o.Column] - minus[o.Row, o.Column]) / (2 * epsilon)))
            .Where(o => o.Numeric != 0 || (o.Row, o.Column) == at)
            .OrderByDescending(o => (o.Row, o.Column) == at).ThenByDescending(o => Math.Abs(o.Numeric)).Take(OutputsTried).ToList();
        if (outputs.Count == 0) outputs.Add((Math.Min(at.Row, y.Rows - 1), Math.Min(at.Column, y.Columns - 1), 0));
        Culprit? worst = null;
        foreach (var (p, q, numeric) in outputs)
        {
            var oneHot = Tensor.Zeros(y.Rows, y.Columns);
            oneHot[p, q] = 1;
            double analytic = backward(oneHot)[at.Row, at.Column];
            var candidate = new Culprit(node, k, at.Row, at.Column, analytic, numeric) { OutputRow = p, OutputColumn = q, OperandValue = original };
            if (worst is null || !(Math.Abs(analytic - numeric) <= Math.Abs(worst.Analytic - worst.Numeric))) worst = candidate;
        }
        return worst!;
    }

    private static (double Dot, double Scale) Dot(Tensor a, Tensor b)
    {
        double sum = 0, scale = 0;
        for (int j = 0; j < a.Columns; j++)
            for (int i = 0; i < a.Rows; i++) { sum += a[i, j] * b[i, j]; scale += Math.Abs(a[i, j] * b[i, j]); }
        return (sum, scale);
    }

    private static Tensor Materialize(Constant c, int m)
    {
        var shape = c.Shape.Resolve(m);
        var t = Tensor.Zeros(shape.Rows, shape.Columns);
        c.WriteTo(t);
        return t;
    }
}
