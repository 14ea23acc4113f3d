namespace GraphDiff.Nn;

/// <summary>
/// Stops training when the monitored cost (the validation cost when a validation set is given, else the
/// training cost) has not improved by more than <see cref="MinDelta"/> for <see cref="Patience"/> epochs.
/// </summary>
public sealed record EarlyStopping
{
    /// <summary>Epochs without improvement before stopping; 10 by default.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>The smallest decrease that counts as an improvement; 0 by default.</summary>
    public double MinDelta { get; init; }

    /// <summary>When true (the default), the parameters are put back to their values at the best epoch when training stops.</summary>
    public bool RestoreBest { get; init; } = true;
}
