namespace GraphDiff;

/// <summary>Graph traversal. Every traversal is iterative, so graphs of any depth are safe.</summary>
public static class Topology
{
    /// <summary>
    /// The nodes reachable from <paramref name="outputs"/> (the outputs included), each once, inputs before the
    /// nodes that use them. Because a node's inputs always exist before it, ordering by <see cref="Node.Id"/>
    /// is a topological order; the walk itself uses an explicit stack.
    /// </summary>
    public static List<Node> Order(IEnumerable<Node> outputs)
    {
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>();
        foreach (var o in outputs)
        {
            ArgumentNullException.ThrowIfNull(o, nameof(outputs));
            if (seen.Add(o)) stack.Push(o);
        }
        var result = new List<Node>();
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            result.Add(n);
            foreach (var i in n.Inputs)
                if (seen.Add(i)) stack.Push(i);
        }
        result.Sort(static (x, y) => x.Id.CompareTo(y.Id));
        return result;
    }
}
