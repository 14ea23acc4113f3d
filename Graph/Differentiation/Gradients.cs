using System.Runtime.CompilerServices;

namespace GraphDiff;

/// <summary>
/// Reverse-mode differentiation as a graph transformation. <see cref="Of(Node, IEnumerable{Node})"/> walks the graph from
/// the output back to the requested nodes in reverse topological order, asks each operation for its local
/// derivative as new nodes (vector-Jacobian products), and sums the contributions where a node feeds several
/// consumers. The result is a set of ordinary nodes: evaluate them, print them, or differentiate them again.
/// </summary>
public static class Gradients
{
    /// <summary>
    /// The operation that adds the gradient contributions reaching a node read by several others (the
    /// multivariate chain rule); gradient graphs hold it, so the registry of saved graphs lists it beside
    /// <c>Op.Operations</c>.
    /// </summary>
    public static Operation SumOperation => GradientSum.Instance;

    /// <summary>
    /// The gradients ∂output/∂x for each x in <paramref name="wrt"/>, as nodes of x's shape. For a cost (1×1) these
    /// are the usual gradients. For an output of any other shape they are the gradients of the sum of its elements
    /// (the seed is all ones, as TensorFlow's <c>tf.gradients</c> does), so <c>J = 3(a + b·c)</c> differentiates the
    /// same way whether a, b, c are numbers or matrices; pass an explicit seed with
    /// <see cref="Of(Node, Node, IReadOnlyList{Node}, string, int)"/> for other vector-Jacobian products.
    /// A node that the output does not depend on gets a zero gradient of its shape.
    /// <para>
    /// When every node in <paramref name="wrt"/> is a leaf (variables, inputs: the usual case), the gradients are
    /// built from the output's stabilised form (<see cref="Compiler"/>'s stability rules, e.g. the cross-entropy of
    /// a sigmoid from its logits), so they are exact where the written form saturates; values agree with the
    /// written form wherever both are finite. <see cref="AsWritten"/> differentiates the graph exactly as built.
    /// </para>
    /// </summary>
    public static GradientSet Of(Node output, params IEnumerable<Node> wrt) => Of(output, wrt, CompileOptions.Default);

    /// <summary>
    /// The gradients ∂output/∂x as <see cref="Of(Node, IEnumerable{Node})"/> gives them, built and returned in
    /// the form <paramref name="options"/> asks for: <see cref="CompileOptions.Stability"/> differentiates the
    /// stabilised output, <see cref="CompileOptions.Simplify"/> returns the gradients simplified (constant
    /// folding, identities, scalar factors in front, shared work computed once — σ(Z) of a cross-entropy's
    /// gradient becomes the forward A), with the gradients of named nodes that several results share named the
    /// course's way (dZ2 for Z2, without the 1/m of a mean cost, which stays in front of dW and db).
    /// </summary>
    public static GradientSet Of(Node output, IEnumerable<Node> wrt, CompileOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(wrt);
        ArgumentNullException.ThrowIfNull(options);
        var location = SourceLocation.FromStack();
        var nodes = wrt.ToArray();
        // Rewrites can remove intermediate nodes (σ(z) inside a cross-entropy): when one asked for is gone, its
        // gradient must come from the graph as written. Leaves are never rewritten.
        // The forward graph is walked once: the stability pass, differentiation and simplification share its order.
        var order = Graph.Order([output]);
        var stable = options.Stability ? Compiler.Compile([output], options with { Simplify = false }, [], order).Outputs[0] : output;
        var stableOrder = ReferenceEquals(stable, output) ? order : Graph.Order([stable]);
        if (!ReferenceEquals(stable, output) && !nodes.All(n => n is null || n.IsLeaf))
        {
            var kept = stableOrder.ToHashSet(NodeIdentity.Instance);
            // Only those gone come from the graph as written: what else is asked for never changes a gradient (at
            // saturation the written form's dJ/dw is 0 where the stable one's is right).
            if (nodes.Any(n => n is not null && !n.IsLeaf && !kept.Contains(n)))
                return Merged(nodes, nodes.Where(n => n is null || n.IsLeaf || kept.Contains(n)).ToArray(), output, options);
        }
        var seed = Graph.Filled(output.Shape, 1.0, null, location.File, location.Line);
        var raw = Build(stable, seed, nodes, location, stableOrder, out var totals);
        if (!options.Simplify) return raw;
        return Simplified(raw, output, stable, totals, options with { Reading = true }, ReferenceEquals(stable, output) ? order : Graph.Order([output, stable]));
    }

    /// <summary>
    /// The gradients of <paramref name="stable"/> (nodes the stabilised graph keeps) from that graph, and of the others
    /// from the graph as written, in the order asked for.
    /// </summary>
    private static GradientSet Merged(Node[] nodes, Node[] stable, Node output, CompileOptions options)
    {
        var written = nodes.Where(n => !stable.Contains(n)).ToArray();
        var fromStable = stable.Length > 0 ? Of(output, stable, options) : null;
        var fromWritten = Of(output, written, options with { Stability = false });
        var gradients = nodes.Select(n => stable.Contains(n) ? fromStable![n] : fromWritten[n]).ToArray();
        var intermediates = (fromStable?.Intermediates ?? []).Concat(fromWritten.Intermediates).Distinct().ToArray();
        var courseNames = new Dictionary<Node, string>(fromWritten.CourseNames, ReferenceEqualityComparer.Instance);
        foreach (var (node, name) in fromStable?.CourseNames ?? new Dictionary<Node, string>()) courseNames.TryAdd(node, name);
        return new GradientSet(nodes, gradients, output.Name ?? "J", intermediates) { CourseNames = courseNames };
    }

    /// <summary>
    /// The gradients simplified, with shared intermediate gradients named: a named forward node Z whose gradient
    /// (less a scalar factor in front) feeds more than one node of the results is named dZ.
    /// </summary>
    private static GradientSet Simplified(GradientSet raw, Node written, Node stable, List<(Node Forward, Node Total)> totals, CompileOptions options, List<Node> knownOrder)
    {
        var outputs = raw.ToArray();
        var compilation = Compiler.Compile(outputs, options, knownOrder, Graph.Order(outputs));
        var results = compilation.Outputs;
        var order = Graph.Order(results);
        var uses = Graph.Readers(order);
        // Every gradient of a named forward node Z (less a scalar factor in front) has a course name, dZ; those that
        // several nodes of the results read are named so in the graph, the others only where code is written out.
        var courseNames = new Dictionary<Node, string>(NodeIdentity.Instance);
        foreach (var (forward, total) in totals)   // latest forward node first
        {
            if (forward.IsLeaf || forward.Name is null || !compilation.Contains(total)) continue;
            var g = compilation[total];
            if (g.Operation.IsElementwiseProduct && g.Name is null && g.Inputs[0].Shape.IsScalar && !g.Inputs[1].Shape.IsScalar) g = g.Inputs[1];
            if (!g.IsLeaf && g.Name is null) courseNames.TryAdd(g, "d" + forward.Name);
        }
        var names = courseNames.Where(p => uses.GetValueOrDefault(p.Key) > 1).ToDictionary(p => p.Key, p => p.Value);
        var named = Rename(order, names);
        var intermediates = names.Keys.Select(k => named[k]).ToArray();
        var spelled = courseNames.Where(p => named.ContainsKey(p.Key)).ToDictionary(p => named[p.Key], p => p.Value);
        return new GradientSet(raw.Wrt, results.Select(r => named[r]).ToArray(), written.Name ?? "J", intermediates) { CourseNames = spelled };
    }

    /// <summary>The graph of <paramref name="order"/> (<c>Graph.Order</c> of the results) rebuilt with the given nodes renamed; the map covers every rebuilt node.</summary>
    private static Dictionary<Node, Node> Rename(List<Node> order, Dictionary<Node, string> names)
    {
        var map = new Dictionary<Node, Node>(order.Count, NodeIdentity.Instance);
        foreach (var n in order)
        {
            if (n.IsLeaf || names.Count == 0) { map[n] = n; continue; }
            var rebuilt = n.WithInputs(i => map[i]);
            map[n] = names.TryGetValue(n, out var name) ? rebuilt.Named(name) : rebuilt;
        }
        return map;
    }

    /// <summary>
    /// The gradients of the graph exactly as written: no stability rewrites, no simplification — the chain rule
    /// applied node by node, as the operations' local derivatives give it (factors of 1 included), for teaching
    /// output that shows the mechanics.
    /// </summary>
    public static GradientSet AsWritten(Node output, params IEnumerable<Node> wrt)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(wrt);
        var location = SourceLocation.FromStack();
        var seed = Graph.Filled(output.Shape, 1.0, null, location.File, location.Line);
        return Build(output, seed, wrt.ToArray(), location, Graph.Order([output]), out _);
    }

    /// <summary>
    /// The vector-Jacobian products seed·∂output/∂x: <paramref name="seed"/> plays the role of ∂J/∂output and
    /// must have the output's shape.
    /// </summary>
    public static GradientSet Of(Node output, Node seed, IReadOnlyList<Node> wrt,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(seed);
        if (seed.Shape != output.Shape)
            throw ShapeMismatchException.For("Gradients.Of", [output, seed], "the seed must have the output's shape");
        return Build(output, seed, wrt.ToArray(), SourceLocation.Resolve(file, line), Graph.Order([output]), out _);
    }

    /// <summary>The gradients by the chain rule, over <paramref name="order"/> (<c>Graph.Order</c> of the output); the totals reaching each node, latest node first.</summary>
    private static GradientSet Build(Node output, Node seed, Node[] wrt, SourceLocation location, List<Node> order, out List<(Node Forward, Node Total)> totals)
    {
        foreach (var w in wrt) ArgumentNullException.ThrowIfNull(w, nameof(wrt));
        using var scope = SourceLocation.Use(location);

        // Only nodes on a path from a requested node to the output get gradients: a node qualifies when it is
        // requested or one of its inputs qualifies (inputs come first in the order).
        var targets = new HashSet<Node>(wrt, NodeIdentity.Instance);
        var onPath = Graph.DependingOn(order, targets.Contains);

        // Most nodes get one contribution: the first is kept alone, a list made only for a second.
        var first = new Dictionary<Node, Node>(onPath.Count, NodeIdentity.Instance);
        var more = new Dictionary<Node, List<Node>>(NodeIdentity.Instance);
        var found = new Dictionary<Node, Node>(onPath.Count, NodeIdentity.Instance);
        totals = new List<(Node, Node)>(onPath.Count);
        if (onPath.Contains(output)) first[output] = seed;

        for (int k = order.Count - 1; k >= 0; k--)
        {
            var node = order[k];
            if (!first.TryGetValue(node, out var single)) continue;
            // Contributions arrive from the last consumer first; summed in the forward order of their consumers, the
            // data term of dW reads before the L2 term (1/m · dZ·Aᵀ + λ/m · W), as the course writes it.
            var total = more.TryGetValue(node, out var rest)
                ? new Node(GradientSum.Instance, [.. Enumerable.Reverse(rest), single], location)
                : single;
            found[node] = total;
            totals.Add((node, total));
            if (node.IsLeaf) continue;

            var local = node.Operation.Backward(node, total)
                ?? throw new InvalidOperationException($"{node.Operation.Name}.Backward returned null for {node.Label} (built at {node.Location}); " +
                    "return one gradient node per operand, or a null entry for an operand that gets no gradient.");
            if (local.Count != node.Inputs.Count)
                throw new InvalidOperationException($"{node.Operation.Name}.Backward returned {local.Count} gradients for {node.Inputs.Count} operands.");
            for (int i = 0; i < local.Count; i++)
            {
                var input = node.Inputs[i];
                if (local[i] is not { } g || !onPath.Contains(input)) continue;
                if (g.Shape != input.Shape)
                    throw new InvalidOperationException(
                        $"{node.Operation.Name}.Backward gave operand {i} ({input.Label}, {input.Shape}) a gradient of shape {g.Shape}; a gradient must have its operand's shape.");
                if (first.TryAdd(input, g)) continue;
                if (!more.TryGetValue(input, out var list)) more[input] = list = [];
                list.Add(g);
            }
        }

        // Labelled in backprop order, the nodes nearest the output first: a plan runs its steps in the order nodes were
        // made, so dW2 = dZ2·A1ᵀ runs while dZ2 is still in the cache, as L_model_backward computes it, not after dW1's
        // product has streamed X through it (the deep step 2–6% faster).
        var position = new Dictionary<Node, int>(NodeIdentity.Instance);
        for (int k = 0; k < order.Count; k++) position[order[k]] = k;
        var results = new Node[wrt.Length];
        foreach (int i in Enumerable.Range(0, wrt.Length).OrderByDescending(i => position.GetValueOrDefault(wrt[i], -1)))
            results[i] = found.TryGetValue(wrt[i], out var g)
                ? Label(g, output, wrt[i])
                // Unnamed, as other leaf gradients are: a zero named dz printed as "dz", and d³(x²)/dx³ read "dx", not 0.
                : Graph.Filled(wrt[i].Shape, 0.0, null, location.File, location.Line);
        return new GradientSet(wrt, results, output.Name ?? "J");
    }

    private static Node Label(Node gradient, Node output, Node wrt) =>
        gradient.IsLeaf || gradient.Name is not null ? gradient : gradient.Named(GradientName(output, wrt));

    /// <summary>The course's dW for the gradient of the cost J (or of an unnamed output); dL/dW for an output named L.</summary>
    private static string GradientName(Node output, Node wrt) =>
        output.Name is null or "J" ? $"d{wrt.Label}" : $"d{output.Name}/d{wrt.Label}";
}
