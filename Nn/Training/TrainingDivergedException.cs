namespace GraphDiff.Nn;

/// <summary>
/// Training went wrong in a way that would otherwise go unnoticed: a non-finite cost or value, a cost that rose
/// well above where it started or kept rising, or outputs saturated at the wrong class (where the cross-entropy's
/// gradient vanishes, so those examples can no longer learn). The message gives the numbers and suggests what
/// to change: training never continues silently.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(string message, int iteration, Exception? inner = null) : base(message, inner) => Iteration = iteration;

    /// <summary>The iteration (parameter update, 1-based) at which divergence was detected.</summary>
    public int Iteration { get; }
}
