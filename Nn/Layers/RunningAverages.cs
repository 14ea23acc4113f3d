namespace GraphDiff.Nn;

/// <summary>
/// The running averages of a network's batch-norm layers and the batch statistics that move them. The trainer
/// evaluates the statistics with each step's gradients (from the same forward pass, before the update, as PyTorch
/// does) and then calls <see cref="Update"/>; predictions and evaluation read the averages.
/// </summary>
internal sealed class RunningAverages(IReadOnlyList<RunningAverages.Entry> entries)
{
    /// <summary>
    /// One layer's batch mean and biased variance nodes, (n_C, 1), the variables they move, the momentum, and the
    /// number of values per channel in one example (n_H·n_W; 1 for (n, m) inputs), for the unbiased variance.
    /// </summary>
    internal readonly record struct Entry(Node Mean, Node Variance, Variable RunningMean, Variable RunningVariance, double Momentum, int PerExample);

    /// <summary>The running averages, for early stopping to keep with the best parameters.</summary>
    public IEnumerable<Variable> Variables => entries.SelectMany(e => new[] { e.RunningMean, e.RunningVariance });

    /// <summary>The statistics the training plan must also compute.</summary>
    public IEnumerable<Node> Statistics => entries.SelectMany(e => new[] { e.Mean, e.Variance });

    /// <summary>
    /// running ← (1 − momentum)·running + momentum·batch, with the batch variance made unbiased (× n/(n − 1),
    /// n = values per channel in the batch of <paramref name="m"/> examples) as PyTorch keeps it.
    /// </summary>
    public void Update(Evaluation run, WidenedValues values, int m)
    {
        foreach (var e in entries)
        {
            long n = (long)e.PerExample * m;
            Move(e.RunningMean, values.Read(run, e.Mean), e.Momentum, 1);
            Move(e.RunningVariance, values.Read(run, e.Variance), e.Momentum, n > 1 ? n / (n - 1.0) : 1);
        }
    }

    private static void Move(Variable running, Tensor batch, double momentum, double scale)
    {
        var target = Tensor.Of(running.Value).Span;
        for (int c = 0; c < target.Length; c++)
            target[c] = (1 - momentum) * target[c] + momentum * scale * batch[c, 0];
    }
}
