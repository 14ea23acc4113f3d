namespace GraphDiff;

/// <summary>One quantity of a learner's backprop compared with the graph's: its name, difference, verdict and, when wrong, which classic mistake the figures show.</summary>
/// <param name="Name">As the learner named it: <c>dW1</c>, <c>dZ2</c>, <c>dA0</c>, ….</param>
/// <param name="Difference">The course's relative difference ‖yours − expected‖ / (‖yours‖ + ‖expected‖); +∞ when the shapes differ.</param>
/// <param name="CourseConvention">True when compared as the course writes it, m·∂J/∂Z (dZ2 = A2 − Y, dA1 = W2ᵀ·dZ2: the 1/m goes on dW and db), rather than ∂J/∂Z.</param>
/// <param name="Row">The element that differs most: its row.</param>
/// <param name="Column">Its column.</param>
/// <param name="Yours">Your value there.</param>
/// <param name="Expected">The graph's value there, in your convention (reverse mode, itself checked against finite differences).</param>
internal sealed record LearnerQuantity(string Name, double Difference, bool CourseConvention, int Row, int Column, double Yours, double Expected)
{
    /// <summary>When wrong: the classic mistake the figures show (sign flipped, off by a factor m, transposed, differs only where Z = 0, a wrong shape), or null when none fits.</summary>
    public string? Mistake { get; init; }

    /// <summary>When the shapes differ: yours and the expected shape, e.g. <c>1×4, expected 4×1</c>; null when they agree.</summary>
    public string? ShapeMismatch { get; init; }

    /// <summary>The quantity's shape, so that <see cref="Row"/> and <see cref="Column"/> print as an index on every axis.</summary>
    public Shape Shape { get; init; }
}
