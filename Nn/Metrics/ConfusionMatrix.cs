using System.Text;

namespace GraphDiff.Nn;

/// <summary>Counts of (true class, predicted class) pairs: the diagonal is what was right.</summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] counts;

    private ConfusionMatrix(int[,] counts) => this.counts = counts;

    /// <summary>Tallies predictions against true classes 0..<paramref name="classes"/>−1.</summary>
    public static ConfusionMatrix From(IReadOnlyList<int> predicted, IReadOnlyList<int> actual, int classes)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        if (predicted.Count != actual.Count) throw new ArgumentException($"{predicted.Count} predictions for {actual.Count} labels.");
        var counts = new int[classes, classes];
        for (int j = 0; j < actual.Count; j++)
        {
            if ((uint)actual[j] >= classes || (uint)predicted[j] >= classes)
                throw new ArgumentOutOfRangeException(nameof(actual), $"Example {j}: class {actual[j]} predicted as {predicted[j]}, outside 0..{classes - 1}.");
            counts[actual[j], predicted[j]]++;
        }
        return new ConfusionMatrix(counts);
    }

    /// <summary>The number of classes.</summary>
    public int Classes => counts.GetLength(0);

    /// <summary>How many examples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => counts[actual, predicted];

    /// <summary>A table: rows are true classes, columns predicted classes.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("true\\pred");
        for (int p = 0; p < Classes; p++) sb.Append($"{p,7}");
        sb.AppendLine();
        for (int a = 0; a < Classes; a++)
        {
            sb.Append($"{a,9}");
            for (int p = 0; p < Classes; p++) sb.Append($"{counts[a, p],7}");
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
