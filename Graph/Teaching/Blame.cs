namespace GraphDiff;

/// <summary>
/// Finds the node whose local derivative is wrong: each operation's vector-Jacobian product, for a random
/// upstream gradient, is compared with central differences of that operation's own forward at the operand
/// values of this evaluation, node by node in forward order; the first that disagrees is the culprit.
/// Elements within 10ε of a declared kink (ReLU's 0) are skipped.
/// </summary>
internal static class Blame
{
    private const int ElementsPerOperand = 24;
    private const double Threshold = 1e-5;

    public static Culprit? Find(Node cost, Feed? feed, GradientCheckOptions options)
    {
        try { return Search(cost, feed, options); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NonFiniteValueException)
        {
            return null;   // an operation the search cannot re-run on its own: the report keeps the per-variable verdict
        }
    }

    private static Culprit? Search(Node cost, Feed? feed, GradientCheckOptions options)
    {
        var order = Topology.Order([cost]);
        var values = new EvaluationPlan(order.Where(n => n is not Constant), compile: null) { ReuseBuffers = false, Fuse = false }.Run(feed);
        Tensor ValueOf(Node n) => n is Constant c ? Materialize(c, values.BatchSize) : values.Tensor(n);
        var random = new Random(options.Seed);
        foreach (var node in order)
        {
            if (node.IsLeaf) continue;
            var operands = node.Inputs.Select(ValueOf).ToArray();
            var y = ValueOf(node);
            var u = Tensor.Zeros(y.Rows, y.Columns);
            for (int j = 0; j < u.Columns; j++) for (int i = 0; i < u.Rows; i++) u[i, j] = random.NextDouble() * 2 - 1;
            var upstream = Graph.Input("upstream", node.Shape.Rows, node.Shape.Columns);
            var vjps = node.Operation.Backward(node, upstream);
            var with = Backprop.WithUpstream(feed, upstream, u);
            for (int k = 0; k < operands.Length; k++)
            {
                if (vjps[k] is not { } vjp || node.Inputs[k] is Constant) continue;
                var analytic = new EvaluationPlan([vjp], compile: null) { ReuseBuffers = false, Fuse = false }.Run(with).Tensor(vjp);
                if (Check(node, operands, k, u, analytic, options.Epsilon, random) is { } culprit) return culprit;
            }
        }
        return null;
    }

    private static Culprit? Check(Node node, Tensor[] operands, int k, Tensor u, Tensor analytic, double epsilon, Random random)
    {
        var x = operands[k];
        var kinks = node.Operation is IHasKinks declared ? declared.Kinks : [];
        var elements = Enumerable.Range(0, x.Length).Select(e => (Row: e % Math.Max(1, x.Rows), Column: e / Math.Max(1, x.Rows))).ToArray();
        random.Shuffle(elements);
        double differenceSquares = 0, analyticSquares = 0, numericSquares = 0;
        Culprit? worst = null;
        double worstError = -1;
        var copies = operands.Select(o => o.Clone()).ToArray();
        var result = Tensor.Zeros(node.Shape.Rows == Shape.Batch ? u.Rows : u.Rows, u.Columns);
        foreach (var (i, j) in elements.Take(ElementsPerOperand))
        {
            double original = x[i, j];
            if (kinks.Any(kink => Math.Abs(original - kink) < 10 * epsilon)) continue;
            copies[k][i, j] = original + epsilon;
            node.Operation.Forward(copies, result);
            double plus = Dot(u, result);
            copies[k][i, j] = original - epsilon;
            node.Operation.Forward(copies, result);
            double minus = Dot(u, result);
            copies[k][i, j] = original;
            double numeric = (plus - minus) / (2 * epsilon), a = analytic[i, j];
            differenceSquares += (a - numeric) * (a - numeric);
            analyticSquares += a * a;
            numericSquares += numeric * numeric;
            if (Math.Abs(a - numeric) > worstError) { worstError = Math.Abs(a - numeric); worst = new Culprit(node, k, i, j, a, numeric); }
        }
        double difference = GradientCheck.RelativeDifference(Math.Sqrt(differenceSquares), Math.Sqrt(analyticSquares), Math.Sqrt(numericSquares));
        return difference > Threshold || double.IsNaN(difference) ? worst : null;
    }

    private static double Dot(Tensor a, Tensor b)
    {
        double sum = 0;
        for (int j = 0; j < a.Columns; j++) for (int i = 0; i < a.Rows; i++) sum += a[i, j] * b[i, j];
        return sum;
    }

    private static Tensor Materialize(Constant c, int m)
    {
        var shape = c.Shape.Resolve(m);
        var t = Tensor.Zeros(shape.Rows, shape.Columns);
        c.WriteTo(t);
        return t;
    }
}
