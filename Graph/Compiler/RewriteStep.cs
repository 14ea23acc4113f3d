namespace GraphDiff;

/// <summary>One change the compiler made: the rule, the node as written (with the line that built it) and its replacement.</summary>
/// <param name="Rule">The rule that fired.</param>
/// <param name="Before">The node as written (its operands already compiled).</param>
/// <param name="After">What replaces it.</param>
internal sealed record RewriteStep(RewriteRule Rule, Node Before, Node After)
{
    /// <summary>E.g. <c>BinaryCrossEntropyOfSigmoid at Model.cs:12: BinaryCrossEntropy(Sigmoid(z), y) → BinaryCrossEntropyWithLogits(z, y) — …</c>.</summary>
    public override string ToString() =>
        $"{Rule.Name} at {Before.Location}: {(Before.Name is { } name ? name + " = " : "")}{Before} → {Replacement} — {Rule.Reason}";

    // A copy replaced by a node the user named reads as that name (MaxPool2D(A1, …) → P1): in full, both sides read alike.
    private string Replacement => After.Name is { } named && named != Before.Name && !After.IsLeaf ? named : After.ToString();
}
