using System.Runtime.CompilerServices;

namespace GraphDiff;

/// <summary>
/// Common-subexpression elimination by hash-consing: nodes with the same operation and the same operands (and
/// unnamed constants with the same fill and shape) are one value, computed once. The first node offered wins,
/// so a node of the user's forward graph, with its name, stands for every later copy of itself.
/// </summary>
internal sealed class CommonSubexpression
{
    public const string Name = "CommonSubexpression";

    /// <summary>The report's entry for a node replaced by an equal one.</summary>
    public static readonly RewriteRule Rule = new Entry();

    private readonly Dictionary<Key, Node> byStructure;
    private readonly HashSet<Node> canonical;
    // Every node offered so far (directly or as an operand) → its canonical node; kept across calls so that a
    // node's operands are looked up, never walked again.
    private readonly Dictionary<Node, Node> settled;

    /// <summary>Sharing among about <paramref name="nodes"/> nodes (sized once: growing copies every entry).</summary>
    public CommonSubexpression(int nodes = 0)
    {
        byStructure = new(nodes);
        canonical = new(nodes, NodeIdentity.Instance);
        settled = new(nodes, NodeIdentity.Instance);
    }

    /// <summary>
    /// The canonical node equal to <paramref name="node"/>: an earlier equal node, or <paramref name="node"/> itself
    /// (rebuilt over canonical operands when a rule created operands that were never offered).
    /// </summary>
    public Node Offer(Node node)
    {
        if (canonical.Contains(node)) return node;
        if (settled.TryGetValue(node, out var known)) return known;
        if (AllCanonical(node.Inputs)) return settled[node] = Settle(node);   // the common case: no walk, no allocation
        // Operands made by a rule's replacement may not be canonical yet: settle them first, deepest first,
        // walking only into nodes not seen before (so a long chain is walked once, not once per node).
        foreach (var n in Graph.Order([node], walkInto: n => !settled.ContainsKey(n) && !canonical.Contains(n)))
            if (!settled.ContainsKey(n)) settled[n] = canonical.Contains(n) ? n : Settle(n.WithInputs(i => settled[i]));
        return settled[node];
    }

    /// <summary>
    /// A node of a graph the compiled one may reuse, offered after its operands (in <c>Graph.Order</c>): its
    /// canonical node, which is itself unless an earlier one has its structure. Unlike <see cref="Offer"/> it is not
    /// rebuilt over canonical operands when some are equal copies (the constants of a long chain): the user's node
    /// stands for its structure, and a large forward graph is not copied.
    /// </summary>
    public Node Know(Node node)
    {
        if (canonical.Contains(node)) return node;
        if (settled.TryGetValue(node, out var known)) return known;
        if (AllCanonical(node.Inputs) || KeyOf(node) is null) return settled[node] = Settle(node);
        var operands = new Node[node.Inputs.Count];
        for (int i = 0; i < operands.Length; i++) operands[i] = Offer(node.Inputs[i]);
        var key = new Key(node.Operation, operands, 0, node.Shape);
        if (byStructure.TryGetValue(key, out var existing)) return settled[node] = existing;
        byStructure[key] = node;
        canonical.Add(node);
        return settled[node] = node;
    }

    private bool AllCanonical(IReadOnlyList<Node> inputs)
    {
        for (int i = 0; i < inputs.Count; i++)
            if (!canonical.Contains(inputs[i])) return false;
        return true;
    }

    private Node Settle(Node n)
    {
        if (KeyOf(n) is not { } key) { canonical.Add(n); return n; }
        if (byStructure.TryGetValue(key, out var existing)) return existing;
        byStructure[key] = n;
        canonical.Add(n);
        return n;
    }

    /// <summary>The structure of a node, or null for a node that is only ever equal to itself (a variable, an input, a named constant).</summary>
    private static Key? KeyOf(Node n) => n switch
    {
        Constant { Name: null, Fill: { } fill } c => new Key(null, [], fill, c.Shape),
        { IsLeaf: true } => null,
        _ => new Key(n.Operation, n.Inputs, 0, n.Shape),
    };

    private readonly struct Key(Operation? operation, IReadOnlyList<Node> inputs, double fill, Shape shape) : IEquatable<Key>
    {
        private readonly Operation? operation = operation;
        private readonly IReadOnlyList<Node> inputs = inputs;
        private readonly double fill = fill;
        private readonly Shape shape = shape;

        public bool Equals(Key other)
        {
            if (!ReferenceEquals(operation, other.operation) || fill != other.fill || shape != other.shape || inputs.Count != other.inputs.Count) return false;
            for (int i = 0; i < inputs.Count; i++)
                if (!ReferenceEquals(inputs[i], other.inputs[i])) return false;
            return true;
        }

        public override bool Equals(object? obj) => obj is Key k && Equals(k);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(operation is null ? 0 : RuntimeHelpers.GetHashCode(operation));
            hash.Add(fill);
            hash.Add(shape);
            for (int i = 0; i < inputs.Count; i++) hash.Add(inputs[i].Id);
            return hash.ToHashCode();
        }
    }

    private sealed class Entry() : RewriteRule(CommonSubexpression.Name, "the same value, computed once", RewritePass.Simplification)
    {
        public override Node? Apply(Node node) => null;
    }
}
