namespace GraphDiff;

/// <summary>What a gradient check concluded, for one variable or for the whole check.</summary>
public enum CheckOutcome
{
    /// <summary>The analytic and numeric gradients agree by the course's measure (relative difference below the threshold).</summary>
    Passed,

    /// <summary>
    /// They differ by the course's measure, but by no more than the numeric estimate's own rounding error: the
    /// gradients are too small for central differences to resolve at this ε, so neither right nor wrong can be told.
    /// A correct graph with tiny gradients (the course's weights ×0.01) lands here, never in <see cref="Failed"/>.
    /// </summary>
    Inconclusive,

    /// <summary>Some element differs by more than the threshold allows and by more than rounding can explain.</summary>
    Failed,

    /// <summary>No element was compared (each one's nudge crossed a kink, or none was sampled).</summary>
    NotChecked,
}
