namespace GraphDiff;

/// <summary>Backpropagation explained: the chain rule worked through for a graph the user wrote, with its values.</summary>
public static class Backprop
{
    /// <summary>
    /// The ledger of <paramref name="output"/> (a cost, 1×1, or the sum of a larger output's elements) with the
    /// inputs in <paramref name="feed"/>: the forward pass, then the backward pass down to <paramref name="wrt"/>
    /// (every variable the output reads when none are given). The forward pass is the graph as written; the
    /// backward pass runs on its stabilised form, as <see cref="Gradients.Of(Node, IEnumerable{Node})"/> does (a
    /// sigmoid's cross-entropy from its logits, so dJ/dZ reads 1/m · (A − Y)), unless that form drops a node asked
    /// for or brings in nodes the forward pass never showed (a cross-entropy written by hand with Log): then it runs
    /// on the graph as written. Unnamed nodes are t1, t2, … in both passes. For an elementwise step a line
    /// reads <c>dJ/du = dJ/dv · ∂v/∂u = dJ/dv · 1 = 3 · 1 = 3</c>; for any other, the vector-Jacobian product
    /// with the upstream gradient named (<c>dJ/dW = dJ/dZ·Xᵀ</c>).
    /// </summary>
    public static Ledger Explain(Node output, Feed? feed = null, params IEnumerable<Node> wrt)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(wrt);
        var written = Graph.Order([output]);
        var targets = wrt.ToHashSet();
        if (targets.Count == 0) targets = written.OfType<Variable>().Cast<Node>().ToHashSet();
        // Rewrites can remove intermediate nodes: when one asked for is gone, explain the graph as written.
        var stable = Compiler.Compile([output], CompileOptions.StabilityOnly).Outputs[0];
        var order = Graph.Order([stable]);
        // So do rewrites that bring in unnamed nodes the forward pass never showed (log σ(z) of a cross-entropy
        // written by hand becomes softplus terms): every node a backward line names must be one the learner saw.
        // And so do rewrites that drop steps the learner wrote without naming them (a cross-entropy written out by hand
        // becomes one loss): the ledger then walks back through every step of the forward listing, dJ/da included.
        var shown = written.ToHashSet();
        var kept = order.ToHashSet();
        if (!targets.All(kept.Contains) || order.Any(n => !shown.Contains(n) && n.Name is null && n is not Constant)
            || written.Any(n => !n.IsLeaf && n.Name is null && !kept.Contains(n)))
            (stable, order) = (output, written);
        // Explained as written, the local derivatives are printed as written too (no softplus the learner never wrote).
        var printing = ReferenceEquals(stable, output) ? CompileOptions.Default with { Stability = false } : CompileOptions.Default;
        var names = TeachingNames.For(written.Concat(order));
        string NameOf(Node n) => names.TryGetValue(n, out var name) ? name : NodeFormatter.Expression(n);
        FormattedOperand Print(Node n) => NodeFormatter.Print(n, i => names.TryGetValue(i, out var name) ? name : i.Name);
        // In an elementwise step's local derivative, the unit upstream (a matrix of ones) and what the rewrites make
        // of it read as their number: 1, not fill(1, 1×m), as they only meet elementwise operations there.
        FormattedOperand PrintLocal(Node n) => NodeFormatter.Print(n, i => i is Constant { Name: null, Fill: >= 0 } c
            ? NodeFormatter.Print(Graph.Constant(c.Fill.Value), _ => null).Text : names.TryGetValue(i, out var name) ? name : i.Name);
        string GradientName(Node n) => $"dJ/d{NameOf(n)}";
        var onPath = Graph.DependingOn(order, targets.Contains);

        // Values from the stable forms (log σ(z) as −softplus(−z), …), answered for the nodes as written: the same J
        // as every evaluation gives, where the written form's clip would print another at saturation.
        var plan = new EvaluationPlan(written.Concat(order).Distinct().Where(n => !(n is Constant { Name: null })), CompileOptions.StabilityOnly) { ReuseBuffers = false, Fuse = false };
        var values = plan.Run(feed);
        var forward = written.Where(n => n is not Constant { Name: null })
            .Select(n => new LedgerLine(NameOf(n), n.IsLeaf ? "" : Print(n).Text, Ledger.Format(values.Tensor(n), n.Shape)) { NodeId = n.Id })
            .ToList();

        // Backward: each node's total gradient is the sum of what its consumers send it; a consumer with a
        // higher id runs first, so a node's total is complete when its turn comes.
        var totals = new Dictionary<Node, Tensor>();
        var terms = new Dictionary<Node, List<(string Formula, string Symbolic, string Numbers)>>();
        var backward = new List<LedgerLine>();
        var firstElements = new Dictionary<Node, (string Terms, string Value)>();   // a kernel gradient's [0, 0, 0, 0] in numbers
        totals[stable] = Seed(stable.Shape.Resolve(values.BatchSize));
        backward.Add(new LedgerLine(GradientName(stable), "", Ledger.Format(totals[stable], stable.Shape)) { NodeId = output.Id });
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var node = order[k];
            if (!onPath.Contains(node)) continue;
            if (!ReferenceEquals(node, stable))
            {
                if (!terms.TryGetValue(node, out var parts)) continue;
                // The chain rule as written, then with each local derivative spelled out, then in numbers.
                var steps = new List<string> { string.Join(" + ", parts.Select(p => p.Formula)) };
                string symbolic = string.Join(" + ", parts.Select(p => p.Symbolic));
                if (symbolic != steps[0]) steps.Add(symbolic);
                if (parts.All(p => p.Numbers.Length > 0) && totals[node].Length == 1) steps.Add(string.Join(" + ", parts.Select(p => p.Numbers)));
                backward.Add(new LedgerLine(GradientName(node), string.Join(" = ", steps.Distinct()), Ledger.Format(totals[node], node.Shape)) { NodeId = node.Id });
                if (parts.Count == 1 && firstElements.TryGetValue(node, out var first))
                    backward.Add(new LedgerLine($"{GradientName(node)}[0, 0, 0, 0]", first.Terms, first.Value) { NodeId = node.Id });
            }
            if (node.IsLeaf) continue;
            // The upstream gradient as an input of the node's own (possibly batch) shape, fed its value.
            var upstream = Graph.Input(GradientName(node), node.Shape);
            var with = WithUpstream(feed, upstream, totals[node]);
            var vjps = node.Operation.Backward(node, upstream);
            var unit = Graph.Filled(node.Shape, 1.0);
            var locals = node.Operation.IsElementwise ? node.Operation.Backward(node, unit) : null;
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                if (vjps[i] is not { } vjp || !onPath.Contains(input)) continue;
                var contribution = Evaluate(vjp, with);
                totals[input] = totals.TryGetValue(input, out var sum) ? Add(sum, contribution) : contribution;
                if (!terms.TryGetValue(input, out var list)) terms[input] = list = [];
                bool product = locals?[i] is not null && input.Shape == node.Shape;
                string g = GradientName(node), gValue = Ledger.Format(totals[node], node.Shape);
                if (product)
                {
                    var local = Compiler.Compile([locals![i]!], printing, written).Outputs[0];
                    var localTensor = Evaluate(local, feed);
                    string localValue = Ledger.Format(localTensor, node.Shape);
                    // A local derivative of numbers only is its number (−1, not -fill(1, 1×m)), as it multiplies elementwise;
                    // "·" is a product here: one that is not an atom or postfix form gets parentheses.
                    bool number = Graph.Order([local]).All(n => !n.IsLeaf || n is Constant) && localTensor.Span.ToArray().Distinct().Count() == 1;
                    string factor = (number ? NodeFormatter.Print(Graph.Constant(localTensor.Span[0]), _ => null) : PrintLocal(local)).Within(FormattedOperand.Postfix);
                    list.Add(($"{g} · ∂{NameOf(node)}/∂{NameOf(input)}", $"{g} · {factor}", $"{gValue} · {localValue}"));
                }
                else
                {
                    string formula = Print(Compiler.Compile([vjp], printing, written).Outputs[0]).Text;
                    // A convolution's kernel gradient is read as the sum over positions it is, its first element in numbers.
                    string? reading = KernelGradientReading.Symbolic(vjp, g, NameOf(vjp.Inputs[0]));
                    if (reading is not null) firstElements[input] = KernelGradientReading.FirstElement(vjp, Evaluate(vjp.Inputs[0], feed), totals[node]);
                    list.Add((formula, reading ?? formula, ""));
                }
            }
        }
        return new Ledger(forward, backward);
    }

    /// <summary>A copy of <paramref name="feed"/> that also feeds <paramref name="upstream"/> (a symbolic upstream gradient) its value.</summary>
    internal static Feed WithUpstream(Feed? feed, Input upstream, Tensor value)
    {
        var with = feed?.Clone() ?? new Feed();
        with.Add(upstream, value.ToMatrixCopy());
        return with;
    }

    private static Tensor Seed(Shape shape)
    {
        var t = Tensor.Zeros(shape.Rows, shape.Columns);
        t.Fill(1.0);
        return t;
    }

    private static Tensor Evaluate(Node node, Feed? feed) =>
        new EvaluationPlan([node], compile: null) { ReuseBuffers = false, Fuse = false }.Run(feed).Tensor(node).Clone();

    private static Tensor Add(Tensor a, Tensor b)
    {
        var sum = a.Clone();
        for (int j = 0; j < sum.Columns; j++)
            for (int i = 0; i < sum.Rows; i++) sum[i, j] += b[i, j];
        return sum;
    }
}
