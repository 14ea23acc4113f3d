namespace GraphDiff;

/// <summary>
/// The graph compiler: rebuilds a graph bottom-up, rewriting each node by the rules of its passes — stability
/// first (forms exact where the written one saturates), then simplification (shorter, readable forms) — and
/// computing structurally equal nodes once. Every change is reported with the line that built the original
/// node. The graph as written is left as it is.
/// </summary>
public static class Compiler
{
    /// <summary>Upper bound on rules firing at one node, so that rules that feed each other cannot loop.</summary>
    private const int MaxRewritesPerNode = 16;

    private static readonly object Gate = new();
    private static RewriteRule[] rules = [];

    /// <summary>The rules of every pass, in the order they are tried (the built-in operations register theirs when loaded).</summary>
    public static IReadOnlyList<RewriteRule> Rules => Volatile.Read(ref rules);

    /// <summary>
    /// Adds a rule, tried after those registered before it: how a library of operations (the built-in one, or a
    /// user's) teaches the compiler the stable and the simple forms of its own patterns. A rule of the same name
    /// is not added twice.
    /// </summary>
    public static void AddRule(RewriteRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (Gate)
        {
            if (rules.Any(r => r.Name == rule.Name)) return;
            Volatile.Write(ref rules, [.. rules, rule]);
        }
    }

    /// <summary>Compiles <paramref name="outputs"/> with <paramref name="options"/> (every rule on by default).</summary>
    public static Compilation Compile(IReadOnlyList<Node> outputs, CompileOptions? options = null) => Compile(outputs, options, known: []);

    /// <summary>Compiles one output.</summary>
    public static Compilation Compile(Node output, CompileOptions? options = null) => Compile([output], options);

    /// <summary>
    /// Compiles <paramref name="outputs"/>; a compiled node structurally equal to one of <paramref name="known"/>
    /// (e.g. the forward graph a gradient was built from) becomes that node, so that the gradient of a
    /// cross-entropy reads A2 − Y rather than recomputing σ(Z2): what a tool that prints gradients in terms of the
    /// forward pass's names (the ledger, emitted code) compiles with.
    /// </summary>
    /// <param name="outputs">The nodes to compile.</param>
    /// <param name="options">The rewrites to run; <see cref="CompileOptions.Default"/> when null.</param>
    /// <param name="known">Nodes the compiled graphs should reuse wherever they compute the same thing; the nodes under them are known too.</param>
    public static Compilation Compile(IReadOnlyList<Node> outputs, CompileOptions? options, IEnumerable<Node> known)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return Compile(outputs, options, Graph.Order(known), Graph.Order(outputs));
    }

    /// <summary>Compiles <paramref name="outputs"/> given <c>Graph.Order</c> of the known nodes and of the outputs (differentiation has them already).</summary>
    internal static Compilation Compile(IReadOnlyList<Node> outputs, CompileOptions? options, List<Node> knownOrder, List<Node> order)
    {
        options ??= CompileOptions.Default;
        // A misspelt name would leave the rule on without a word.
        foreach (var name in options.Disabled)
            if (name != CommonSubexpression.Name && !Rules.Any(r => r.Name == name))
                throw new ArgumentException($"CompileOptions.Disabled names \"{name}\", which is not a rule; the rules are {string.Join(", ", Rules.Select(r => r.Name).Append(CommonSubexpression.Name))}.", nameof(options));
        var run = new Run(options, knownOrder.Count + order.Count);
        foreach (var n in knownOrder) run.Know(n);
        var compiled = new Dictionary<Node, Node>(order.Count, NodeIdentity.Instance);
        foreach (var node in order)
        {
            if (node.IsLeaf) { compiled[node] = run.Finish(node); continue; }
            var rebuilt = Rebuilt(node, compiled);
            // A node this very compilation produced before, over unchanged operands, is already in compiled form.
            compiled[node] = ReferenceEquals(rebuilt, node) && run.Produced(node) ? run.Finish(node) : run.Rewrite(rebuilt);
        }
        foreach (var result in compiled.Values) run.Mark(result);
        return new Compilation(outputs.Select(o => compiled[o]).ToArray(), run.Report, compiled);
    }

    /// <summary>One compilation: the active rules, the nodes already in compiled form, the report.</summary>
    private sealed class Run(CompileOptions options, int nodes)
    {
        private readonly RewriteRule[] rules = Rules.Where(options.Runs).OrderBy(r => r.Pass).ToArray();
        private readonly bool shareWork = options.Simplify && !options.Disabled.Contains(CommonSubexpression.Name);
        private readonly CommonSubexpression shared = new(options.Simplify ? nodes : 0);
        // Nodes in compiled form: rewriting them again would change nothing.
        private readonly HashSet<Node> done = new(nodes, NodeIdentity.Instance);

        public List<RewriteStep> Report { get; } = [];

        // What a compiled node is stamped with: the options and the rule set (a rule added later makes a new set).
        private readonly Tuple<CompileOptions, IReadOnlyList<RewriteRule>> stamp = Tuple.Create(options, Rules);

        /// <summary>Whether <paramref name="n"/> came out of a compilation with these options and rules.</summary>
        public bool Produced(Node n) =>
            n.CompiledUnder is Tuple<CompileOptions, IReadOnlyList<RewriteRule>> s && ReferenceEquals(s.Item2, stamp.Item2) && s.Item1.Equals(stamp.Item1);

        /// <summary>Stamps a result of this compilation.</summary>
        public void Mark(Node n) => n.CompiledUnder = stamp;

        /// <summary>A node of the graph the compiled one may reuse (a forward graph for its gradient).</summary>
        public void Know(Node n)
        {
            if (shareWork) done.Add(shared.Know(n));
        }

        /// <summary>A node in compiled form, shared with an equal one seen before.</summary>
        public Node Finish(Node n)
        {
            if (shareWork)
            {
                var existing = shared.Offer(n);
                if (!ReferenceEquals(existing, n) && !n.IsLeaf) Report.Add(new RewriteStep(CommonSubexpression.Rule, n, existing));
                n = existing;
            }
            done.Add(n);
            return n;
        }

        /// <summary>
        /// Applies the rules to <paramref name="node"/> (whose operands are in compiled form) until none fires;
        /// the new nodes inside a replacement are rewritten too, innermost first, so 2·(3·x) becomes 6·x.
        /// </summary>
        public Node Rewrite(Node node)
        {
            var current = node;
            for (int k = 0; k < MaxRewritesPerNode; k++)
            {
                RewriteRule? rule = null;
                Node? replacement = null;
                // Nodes a rule builds belong to the line that built the node it rewrites.
                var outer = SourceLocation.Enter(current.Location);
                try
                {
                    foreach (var r in rules)
                        if ((replacement = r.Apply(current)) is not null) { rule = r; break; }
                }
                finally { SourceLocation.Leave(outer); }
                if (replacement is null) break;
                // The user's name stays with the value it names.
                if (current.Name is { } name && replacement.Name is null && !replacement.IsLeaf) replacement = replacement.Named(name);
                Report.Add(new RewriteStep(rule!, current, replacement));
                current = OperandsRewritten(replacement);
                if (done.Contains(current)) return current;
            }
            return Finish(current);
        }

        /// <summary><paramref name="replacement"/> rebuilt over compiled forms of the new nodes below it.</summary>
        private Node OperandsRewritten(Node replacement)
        {
            if (done.Contains(replacement) || replacement.IsLeaf) return replacement;
            var map = new Dictionary<Node, Node>(NodeIdentity.Instance);
            foreach (var n in Graph.Order(replacement.Inputs, walkInto: n => !done.Contains(n)))
                if (!done.Contains(n)) map[n] = n.IsLeaf ? Finish(n) : Rewrite(Rebuilt(n, map));
            return Rebuilt(replacement, map);
        }

    }

    /// <summary><paramref name="n"/> over the mapped forms of its operands: itself when none changed (no allocation then).</summary>
    private static Node Rebuilt(Node n, Dictionary<Node, Node> map)
    {
        for (int k = 0; k < n.Inputs.Count; k++)
            if (map.TryGetValue(n.Inputs[k], out var m) && !ReferenceEquals(m, n.Inputs[k])) return n.WithInputs(i => map.GetValueOrDefault(i, i));
        return n;
    }
}
