namespace GraphDiff;

/// <summary>
/// Short names for the unnamed nodes that teaching outputs show (the ledger's forward and backward listings, the
/// pictures' titles), so that every node a line refers to is one the learner has seen defined, under the same name
/// everywhere: its own name, or <c>t1</c>, <c>t2</c>, … for an unnamed intermediate.
/// </summary>
internal static class TeachingNames
{
    /// <summary>
    /// A name for each node of <paramref name="order"/>: its own, or the next free <c>t</c>k (numbered in order,
    /// never a name the graph already uses). Unnamed constants get none: they print as numbers where used.
    /// </summary>
    public static Dictionary<Node, string> For(IEnumerable<Node> order)
    {
        var nodes = order.ToList();
        var used = nodes.Select(n => n.Name).OfType<string>().ToHashSet();
        var names = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
        int k = 0;
        foreach (var n in nodes)
        {
            if (names.ContainsKey(n) || n is Constant { Name: null }) continue;
            string? name = n.Name;
            while (name is null || n.Name is null && used.Contains(name)) name = $"t{++k}";
            names[n] = name;
        }
        return names;
    }
}
