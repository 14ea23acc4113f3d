namespace GraphDiff;

/// <summary>
/// An operation that declares where its derivative with respect to its first operand does not exist (ReLU's 0,
/// LeakyReLU's 0, Clip's two bounds), so that gradient checks and blame keep away from there: a difference quotient
/// across a kink measures the jump in slope, not a derivative. Every built-in operation with a kink declares it (a test
/// scans each one's one-sided derivatives).
/// </summary>
public interface IHasKinks
{
    /// <summary>The values of the first operand where the derivative does not exist.</summary>
    IReadOnlyList<double> Kinks { get; }
}
