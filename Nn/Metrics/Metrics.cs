namespace GraphDiff.Nn;

/// <summary>Classification metrics.</summary>
public static class Metrics
{
    /// <summary>The fraction of examples whose predicted class equals the true class.</summary>
    public static double Accuracy(IReadOnlyList<int> predicted, IReadOnlyList<int> actual)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        if (predicted.Count != actual.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {actual.Count} labels.");
        if (actual.Count == 0) throw new ArgumentException("There are no examples.");
        int correct = 0;
        for (int j = 0; j < actual.Count; j++) if (predicted[j] == actual[j]) correct++;
        return (double)correct / actual.Count;
    }
}
