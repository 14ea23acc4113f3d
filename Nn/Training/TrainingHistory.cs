namespace GraphDiff.Nn;

/// <summary>What a training run did: the recorded costs, and how long it took.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<CostRecord> costs, string optimizer, double learningRate, TimeSpan elapsed)
    {
        Costs = costs;
        Optimizer = optimizer;
        LearningRate = learningRate;
        Elapsed = elapsed;
    }

    /// <summary>The cost every <see cref="TrainingOptions.RecordEvery"/> epochs, and after the last.</summary>
    public IReadOnlyList<CostRecord> Costs { get; }

    /// <summary>The cost after the last epoch.</summary>
    public double FinalCost => Costs[^1].Cost;

    /// <summary>The optimiser used, as text.</summary>
    public string Optimizer { get; }

    /// <summary>The learning rate α.</summary>
    public double LearningRate { get; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; }
}
