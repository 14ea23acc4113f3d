namespace GraphDiff;

/// <summary>Settings of a gradient check; the defaults are the course's.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The step ε of the central difference (J(θ+ε) − J(θ−ε)) / 2ε. Default 1e-7.</summary>
    public double Epsilon { get; init; } = 1e-7;

    /// <summary>The check passes when the relative difference is below this. Default 1e-7.</summary>
    public double Threshold { get; init; } = 1e-7;

    /// <summary>
    /// Check at most this many elements of each variable, chosen at random with <see cref="Seed"/>; <c>null</c>
    /// (the default) checks every element. Each element costs two evaluations of the cost, so sampling is what
    /// makes a check of a real-sized network (W1 of 128×784) affordable.
    /// </summary>
    public int? ElementsPerVariable { get; init; }

    /// <summary>The seed choosing the sampled elements.</summary>
    public int Seed { get; init; }
}
