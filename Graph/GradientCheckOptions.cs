namespace GraphDiff;

/// <summary>Settings of a gradient check; the defaults are the course's.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The step ε of the central difference (J(θ+ε) − J(θ−ε)) / 2ε. Default 1e-7.</summary>
    public double Epsilon { get; init; } = 1e-7;

    /// <summary>The check passes when the relative difference is below this. Default 1e-7.</summary>
    public double Threshold { get; init; } = 1e-7;
}
