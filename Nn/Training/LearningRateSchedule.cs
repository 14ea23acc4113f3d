namespace GraphDiff.Nn;

/// <summary>
/// How the learning rate changes from epoch to epoch, from the optimiser's initial α₀. The course's decays:
/// <see cref="InverseTime"/> (α = α₀ / (1 + decay·⌊t / interval⌋)), <see cref="Exponential"/> and <see cref="Step"/>.
/// Epochs count from 0 here, as in the course: epoch 0 uses α₀.
/// </summary>
public abstract class LearningRateSchedule
{
    private protected LearningRateSchedule() { }

    /// <summary>The learning rate for epoch <paramref name="epoch"/> (counted from 0) given the initial rate.</summary>
    public abstract double At(int epoch, double initial);

    /// <summary>α = α₀ / (1 + decay·⌊epoch / interval⌋): the course's 1/t decay, with the "scheduled" form for interval &gt; 1.</summary>
    public static LearningRateSchedule InverseTime(double decayRate, int interval = 1)
    {
        if (!(decayRate >= 0 && double.IsFinite(decayRate))) throw new ArgumentOutOfRangeException(nameof(decayRate), $"The decay rate must be non-negative and finite, got {decayRate}.");
        CheckInterval(interval, nameof(interval));
        return new Formula($"1/t decay (rate {decayRate}, every {interval} epochs)", (t, a0) => a0 / (1 + decayRate * (t / interval)));
    }

    /// <summary>α = α₀·rateᵉᵖᵒᶜʰ, e.g. 0.95 per epoch.</summary>
    public static LearningRateSchedule Exponential(double rate)
    {
        CheckFraction(rate, nameof(rate));
        return new Formula($"exponential decay (×{rate} per epoch)", (t, a0) => a0 * Math.Pow(rate, t));
    }

    /// <summary>α = α₀·factor^⌊epoch / every⌋: the rate drops by <paramref name="factor"/> every <paramref name="every"/> epochs.</summary>
    public static LearningRateSchedule Step(int every, double factor)
    {
        CheckInterval(every, nameof(every));
        CheckFraction(factor, nameof(factor));
        return new Formula($"step decay (×{factor} every {every} epochs)", (t, a0) => a0 * Math.Pow(factor, t / every));
    }

    private static void CheckFraction(double value, string name)
    {
        if (value is not (> 0 and <= 1)) throw new ArgumentOutOfRangeException(name, $"{name} must be in (0, 1], got {value}.");
    }

    private static void CheckInterval(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, $"{name} must be a positive number of epochs, got {value}.");
    }

    private sealed class Formula(string description, Func<int, double, double> rate) : LearningRateSchedule
    {
        public override double At(int epoch, double initial) => rate(epoch, initial);

        public override string ToString() => description;
    }
}
