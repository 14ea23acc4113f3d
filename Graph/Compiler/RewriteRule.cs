namespace GraphDiff;

/// <summary>
/// One named rewrite of the graph compiler: a pattern (what <see cref="Apply"/> recognises), a replacement (what
/// it returns) and the one-line <see cref="Reason"/> the report prints. A rule sees a node whose operands have
/// already been compiled, and either returns the node that replaces it or <c>null</c>.
/// </summary>
public abstract class RewriteRule
{
    /// <summary>The rule's name, e.g. <c>BinaryCrossEntropyOfSigmoid</c>; <see cref="CompileOptions.Disabled"/> takes it.</summary>
    public abstract string Name { get; }

    /// <summary>Why the rewrite is made, in one line, e.g. "stable where σ saturates".</summary>
    public abstract string Reason { get; }

    /// <summary>The pass the rule belongs to (stability unless it says otherwise).</summary>
    public virtual RewritePass Pass => RewritePass.Stability;

    /// <summary>The replacement for <paramref name="node"/>, or <c>null</c> when the pattern does not match.</summary>
    public abstract Node? Apply(Node node);
}
