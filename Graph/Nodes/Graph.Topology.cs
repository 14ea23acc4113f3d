using System.Buffers;
using System.Runtime.InteropServices;

namespace GraphDiff;

// Graph traversal, in one place. Every traversal is iterative, so graphs of any depth are safe.
public static partial class Graph
{
    /// <summary>
    /// The nodes reachable from <paramref name="outputs"/> (the outputs included), each once, inputs before the
    /// nodes that use them. Because a node's inputs always exist before it, ordering by <see cref="Node.Id"/>
    /// is a topological order; the walk itself uses an explicit stack.
    /// </summary>
    public static List<Node> Order(IEnumerable<Node> outputs) => Order(outputs, walkInto: null);

    /// <summary>
    /// The nodes reachable from <paramref name="outputs"/>, as <see cref="Order(IEnumerable{Node})"/> gives them,
    /// walking into a node's operands only where <paramref name="walkInto"/> says so (a node it refuses is listed,
    /// what lies below it only when reached another way): a value a cache or a name stands for is not looked into.
    /// </summary>
    public static List<Node> Order(IEnumerable<Node> outputs, Func<Node, bool>? walkInto)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var seen = new HashSet<Node>(NodeIdentity.Instance);
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
            if (walkInto is not null && !walkInto(n)) continue;
            foreach (var i in n.Inputs)
                if (seen.Add(i)) stack.Push(i);
        }
        SortById(result);
        return result;
    }

    /// <summary>Sorts by id through an array of keys: a comparison delegate per pair costs several times more on large graphs.</summary>
    private static void SortById(List<Node> nodes)
    {
        var items = CollectionsMarshal.AsSpan(nodes);
        var ids = ArrayPool<long>.Shared.Rent(items.Length);
        for (int k = 0; k < items.Length; k++) ids[k] = items[k].Id;
        ids.AsSpan(0, items.Length).Sort(items);
        ArrayPool<long>.Shared.Return(ids);
    }

    /// <summary>
    /// The nodes of <paramref name="order"/> (inputs before their users, as <see cref="Order(IEnumerable{Node})"/>
    /// gives them) that are a source or read one, directly or not: the nodes on a path from a source, those a
    /// change of the sources can change (and so those that get a gradient with respect to them).
    /// </summary>
    public static HashSet<Node> DependingOn(IEnumerable<Node> order, Func<Node, bool> isSource)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(isSource);
        var depending = new HashSet<Node>(NodeIdentity.Instance);
        foreach (var n in order)
            if (isSource(n) || ReadsAny(n, depending)) depending.Add(n);
        return depending;
    }

    private static bool ReadsAny(Node n, HashSet<Node> nodes)
    {
        for (int i = 0; i < n.Inputs.Count; i++) if (nodes.Contains(n.Inputs[i])) return true;
        return false;
    }

    /// <summary>How many of <paramref name="nodes"/> read each node (a node reading another twice counts once).</summary>
    public static Dictionary<Node, int> Readers(IEnumerable<Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var readers = new Dictionary<Node, int>(NodeIdentity.Instance);
        foreach (var n in nodes)
            for (int k = 0; k < n.Inputs.Count; k++)
                if (!ReadsEarlier(n, k)) CollectionsMarshal.GetValueRefOrAddDefault(readers, n.Inputs[k], out _)++;
        return readers;
    }

    private static bool ReadsEarlier(Node n, int k)
    {
        for (int i = 0; i < k; i++) if (ReferenceEquals(n.Inputs[i], n.Inputs[k])) return true;
        return false;
    }
}

/// <summary>Nodes compared by identity and hashed by id: ids are unique and dense, and need no object-header hash code.</summary>
internal sealed class NodeIdentity : IEqualityComparer<Node>
{
    public static readonly NodeIdentity Instance = new();

    public bool Equals(Node? x, Node? y) => ReferenceEquals(x, y);

    public int GetHashCode(Node node) => node.Id.GetHashCode();
}
