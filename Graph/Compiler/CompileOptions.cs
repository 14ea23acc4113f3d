namespace GraphDiff;

/// <summary>Which rewrites <see cref="Compiler.Compile(IReadOnlyList{Node}, CompileOptions)"/> makes; every pass and every rule can be switched off.</summary>
public sealed record CompileOptions
{
    /// <summary>The stability rules (on by default): forms that stay finite and exact where the written one saturates.</summary>
    public bool Stability { get; init; } = true;

    /// <summary>Rules to skip, by <see cref="RewriteRule.Name"/>.</summary>
    public IReadOnlySet<string> Disabled { get; init; } = new HashSet<string>();

    /// <summary>The defaults: every rule on.</summary>
    public static CompileOptions Default { get; } = new();
}
