namespace GraphDiff;

/// <summary>
/// Groups of elementwise steps that a plan computes together, a block of whole columns at a time, so that the
/// values inside a group never go to memory: each lives in a scratch block of about <see cref="BlockElements"/>
/// elements, which stays in the cache while the next step of the chain reads it. A step joins the group of its
/// reader when it is elementwise, not an output, and read by exactly one step that is itself elementwise and of
/// the same shape; operands from outside the group (a bias (n, 1), a 1×1 factor) broadcast as usual.
/// </summary>
internal sealed class Fusion
{
    /// <summary>About 8 KB of doubles per block: several blocks of a chain fit in the L1 cache together.</summary>
    public const int BlockElements = 1024;

    private readonly int[] rootOf;
    private readonly Dictionary<int, int[]> members = [];

    public Fusion(IReadOnlyList<ScheduleStep> steps)
    {
        int count = steps.Count;
        var readers = new int[count];
        var reader = new int[count];
        foreach (var step in steps)
            foreach (int o in step.Operands.Distinct())
            {
                readers[o]++;
                reader[o] = step.Slot;
            }
        rootOf = new int[count];
        alone = Enumerable.Range(0, count).Select(s => new[] { s }).ToArray();
        // Readers come after what they read, so a step's root is known once every later step's is.
        for (int s = count - 1; s >= 0; s--)
            rootOf[s] = Joins(steps, s, readers[s], reader[s]) ? rootOf[reader[s]] : s;
        foreach (var group in Enumerable.Range(0, count).Where(s => rootOf[s] != s).GroupBy(s => rootOf[s]))
            members[group.Key] = [.. group.Order(), group.Key];
    }

    private static bool Joins(IReadOnlyList<ScheduleStep> steps, int s, int readers, int reader)
    {
        var step = steps[s];
        if (step.Node.IsLeaf || !step.Node.Operation.IsElementwise || step.LastUse >= steps.Count || readers != 1) return false;
        var next = steps[reader].Node;
        return !next.IsLeaf && next.Operation.IsElementwise && next.Shape == step.Node.Shape;
    }

    /// <summary>Whether step <paramref name="s"/> is computed inside another step's group (it has no value of its own).</summary>
    public bool IsInterior(int s) => rootOf[s] != s;

    /// <summary>The group whose last step is <paramref name="root"/>, in evaluation order (the root last), or null.</summary>
    public int[]? GroupEndingAt(int root) => members.GetValueOrDefault(root);

    /// <summary>The group ending at <paramref name="root"/>, or that step alone.</summary>
    public int[] Chain(int root) => members.GetValueOrDefault(root) ?? alone[root];

    private readonly int[][] alone;

    /// <summary>The last step of the group <paramref name="s"/> belongs to.</summary>
    public int RootOf(int s) => rootOf[s];

    /// <summary>How many steps run inside groups rather than on their own.</summary>
    public int InteriorCount => rootOf.Where((r, s) => r != s).Count();

    /// <summary>Columns per block for values of <paramref name="rows"/> rows.</summary>
    public static int BlockColumns(int rows) => Math.Max(1, BlockElements / Math.Max(1, rows));
}
