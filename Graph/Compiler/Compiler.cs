namespace GraphDiff;

/// <summary>
/// The graph compiler's rewrite pass: rebuilds a graph bottom-up, replacing patterns by forms that are
/// numerically stable, and reports every change with the line that built the original node. The graph as
/// written is left as it is. This is the first pass of the compiler; simplification and fusion follow.
/// </summary>
public static class Compiler
{
    /// <summary>Upper bound on rules firing at one node, so that rules that feed each other cannot loop.</summary>
    private const int MaxRewritesPerNode = 8;

    private static readonly object Gate = new();
    private static RewriteRule[] stabilityRules = [];

    /// <summary>The stability rules, in the order they are tried (the built-in operations register theirs when loaded).</summary>
    public static IReadOnlyList<RewriteRule> StabilityRules => Volatile.Read(ref stabilityRules);

    /// <summary>
    /// Adds a stability rule, tried after those registered before it: how a library of operations (the built-in
    /// one, or a user's) teaches the compiler the stable forms of its own patterns. A rule of the same name is
    /// not added twice.
    /// </summary>
    public static void AddStabilityRule(RewriteRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (Gate)
        {
            if (stabilityRules.Any(r => r.Name == rule.Name)) return;
            Volatile.Write(ref stabilityRules, [.. stabilityRules, rule]);
        }
    }

    /// <summary>Compiles <paramref name="outputs"/> with <paramref name="options"/> (every rule on by default).</summary>
    public static Compilation Compile(IReadOnlyList<Node> outputs, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        options ??= CompileOptions.Default;
        var rules = (options.Stability ? StabilityRules : []).Where(r => !options.Disabled.Contains(r.Name)).ToArray();
        var compiled = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        var report = new List<RewriteStep>();
        foreach (var node in Topology.Order(outputs))
        {
            if (node.IsLeaf) { compiled[node] = node; continue; }
            var inputs = node.Inputs.Select(i => compiled[i]).ToArray();
            var current = inputs.SequenceEqual(node.Inputs, ReferenceEqualityComparer.Instance)
                ? node
                : Node.Apply(node.Operation, inputs, node.Location, node.Name);
            for (int k = 0; k < MaxRewritesPerNode; k++)
            {
                var (rule, replacement) = rules.Select(r => (r, r.Apply(current))).FirstOrDefault(p => p.Item2 is not null);
                if (replacement is null) break;
                // The user's name stays with the value it names.
                if (current.Name is { } name && replacement.Name is null && !replacement.IsLeaf) replacement = replacement.Named(name);
                report.Add(new RewriteStep(rule!, current, replacement));
                current = replacement;
            }
            compiled[node] = current;
        }
        return new Compilation(outputs.Select(o => compiled[o]).ToArray(), report, compiled);
    }

    /// <summary>Compiles one output.</summary>
    public static Compilation Compile(Node output, CompileOptions? options = null) => Compile([output], options);
}
