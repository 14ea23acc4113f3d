namespace GraphDiff;

/// <summary>The compiler's passes, in the order they run at each node; <see cref="CompileOptions"/> switches each off.</summary>
public enum RewritePass
{
    /// <summary>Forms that stay finite and exact where the written one saturates (BCE of σ from the logits, …).</summary>
    Stability,

    /// <summary>Shorter, readable forms: constant folding, identities, scalar factors pulled out, shared work found once.</summary>
    Simplification,

    /// <summary>
    /// The same values with less work, in forms written for the machine rather than the reader (ReLU's mask applied
    /// before a max pool's scatter): part of the simplification pass where a graph is compiled to run, left out of
    /// the gradients <see cref="Gradients.Of(Node, IEnumerable{Node})"/> returns, which keep the course's form.
    /// </summary>
    Execution,
}
