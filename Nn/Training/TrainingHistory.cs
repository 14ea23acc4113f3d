namespace GraphDiff.Nn;

/// <summary>What a training run did: the recorded costs, and how long it took.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<CostRecord> costs, string optimizer, double learningRate, TimeSpan elapsed, int? stoppedAtEpoch = null, int? bestEpoch = null)
    {
        StoppedEarlyAt = stoppedAtEpoch;
        BestEpoch = bestEpoch;
        Costs = costs;
        Optimizer = optimizer;
        LearningRate = learningRate;
        Elapsed = elapsed;
    }

    /// <summary>The cost every <see cref="TrainingOptions.RecordEvery"/> epochs, and after the last.</summary>
    public IReadOnlyList<CostRecord> Costs { get; }

    /// <summary>The cost after the last epoch.</summary>
    public double FinalCost => Costs[^1].Cost;

    /// <summary>The cost on the validation set after the last epoch, or NaN without one.</summary>
    public double FinalValidationCost => Costs[^1].ValidationCost;

    /// <summary>The epoch at which early stopping ended training, or null when every epoch ran.</summary>
    public int? StoppedEarlyAt { get; }

    /// <summary>With early stopping, the epoch with the lowest monitored cost (whose parameters were restored when asked).</summary>
    public int? BestEpoch { get; }

    /// <summary>The optimiser used, as text.</summary>
    public string Optimizer { get; }

    /// <summary>The initial learning rate α₀ (each record holds the rate of its epoch).</summary>
    public double LearningRate { get; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; }
}
