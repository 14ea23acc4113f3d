namespace GraphDiff.Nn;

/// <summary>Early stopping: the best cost so far, the epochs since, and the parameters at the best epoch.</summary>
internal sealed class StoppingRule(EarlyStopping rule, IReadOnlyList<Variable> parameters)
{
    private readonly Tensor[] best = parameters.Select(p => Tensor.Of(p.Value).Clone()).ToArray();
    private double bestCost = double.PositiveInfinity;
    private int since;

    public int BestEpoch { get; private set; }

    public bool AfterEpoch(int epoch, double cost)
    {
        if (cost < bestCost - rule.MinDelta)
        {
            bestCost = cost;
            BestEpoch = epoch;
            since = 0;
            if (rule.RestoreBest)
                for (int k = 0; k < best.Length; k++) Tensor.Of(parameters[k].Value).CopyTo(best[k]);
            return false;
        }
        return ++since >= rule.Patience;
    }

    /// <summary>Puts the best parameters back (also when training ends without stopping early, or is cancelled).</summary>
    public void Finish()
    {
        if (!rule.RestoreBest || BestEpoch == 0) return;
        for (int k = 0; k < best.Length; k++) best[k].CopyTo(Tensor.Of(parameters[k].Value));
    }
}
