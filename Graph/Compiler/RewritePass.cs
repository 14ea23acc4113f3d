namespace GraphDiff;

/// <summary>The compiler's passes, in the order they run at each node; <see cref="CompileOptions"/> switches each off.</summary>
public enum RewritePass
{
    /// <summary>Forms that stay finite and exact where the written one saturates (BCE of σ from the logits, …).</summary>
    Stability,

    /// <summary>Shorter, readable forms: constant folding, identities, scalar factors pulled out, shared work found once.</summary>
    Simplification,
}
