namespace GraphDiff.Nn;

/// <summary>
/// Training produced a non-finite cost or value. The message says at which iteration, what became non-finite,
/// and suggests a smaller learning rate: training never continues silently with NaN.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(string message, int iteration, Exception? inner = null) : base(message, inner) => Iteration = iteration;

    /// <summary>The iteration (parameter update, 1-based) at which the cost stopped being finite.</summary>
    public int Iteration { get; }
}
