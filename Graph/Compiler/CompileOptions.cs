namespace GraphDiff;

/// <summary>Which rewrites <see cref="Compiler.Compile(IReadOnlyList{Node}, CompileOptions)"/> makes; every pass and every rule can be switched off.</summary>
public sealed record CompileOptions
{
    /// <summary>The stability rules (on by default): forms that stay finite and exact where the written one saturates.</summary>
    public bool Stability { get; init; } = true;

    /// <summary>
    /// The simplification pass (on by default): constant folding, identities (x·1, x + 0, −(−x), (xᵀ)ᵀ, x¹, …), a
    /// transposed operand read in place by its product, scalar factors pulled out of products and sums, and common
    /// subexpressions computed once (rule name <c>CommonSubexpression</c>).
    /// </summary>
    public bool Simplify { get; init; } = true;

    /// <summary>Rules to skip, by <see cref="RewriteRule.Name"/>.</summary>
    public IReadOnlySet<string> Disabled { get; init; } = new HashSet<string>();

    /// <summary>The defaults: every rule on.</summary>
    public static CompileOptions Default { get; } = new();

    /// <summary>The stability rules only: the graph keeps the shape the user wrote, made safe where it saturates.</summary>
    public static CompileOptions StabilityOnly { get; } = new() { Simplify = false };

    /// <summary>Gradients built for reading (<see cref="Gradients.Of(Node, IEnumerable{Node}, CompileOptions)"/>): the execution rules wait for the plan.</summary>
    internal bool Reading { get; init; }

    internal bool Runs(RewriteRule rule) =>
        (rule.Pass == RewritePass.Stability ? Stability : Simplify && !(Reading && rule.Pass == RewritePass.Execution)) && !Disabled.Contains(rule.Name);
}
