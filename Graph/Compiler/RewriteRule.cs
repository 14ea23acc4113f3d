namespace GraphDiff;

/// <summary>
/// One named rewrite of the graph compiler: a pattern (what <see cref="Apply"/> recognises), a replacement (what
/// it returns) and the one-line <see cref="Reason"/> the report prints. A rule sees a node whose operands have
/// already been compiled, and either returns the node that replaces it or <c>null</c>.
/// </summary>
/// <param name="name">The rule's name, e.g. <c>BinaryCrossEntropyOfSigmoid</c>; <see cref="CompileOptions.Disabled"/> takes it.</param>
/// <param name="reason">Why the rewrite is made, in one line, e.g. "stable where σ saturates".</param>
/// <param name="pass">The pass the rule belongs to.</param>
public abstract class RewriteRule(string name, string reason, RewritePass pass)
{
    /// <summary>The rule's name, e.g. <c>BinaryCrossEntropyOfSigmoid</c>; <see cref="CompileOptions.Disabled"/> takes it.</summary>
    public string Name { get; } = name;

    /// <summary>Why the rewrite is made, in one line, e.g. "stable where σ saturates".</summary>
    public string Reason { get; } = reason;

    /// <summary>The pass the rule belongs to.</summary>
    public RewritePass Pass { get; } = pass;

    /// <summary>
    /// The replacement for <paramref name="node"/>, or <c>null</c> when the pattern does not match. Nodes built
    /// here with the ordinary builders are attributed to the line that built <paramref name="node"/>.
    /// </summary>
    public abstract Node? Apply(Node node);
}
