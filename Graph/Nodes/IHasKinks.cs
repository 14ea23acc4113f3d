namespace GraphDiff;

/// <summary>An operation that declares where its derivative does not exist (ReLU's 0), so that checks keep away from there.</summary>
public interface IHasKinks
{
    /// <summary>The points where the derivative does not exist.</summary>
    IReadOnlyList<double> Kinks { get; }
}
