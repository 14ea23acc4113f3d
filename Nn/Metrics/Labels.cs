using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Nn;

/// <summary>Turns outputs and label matrices into class numbers.</summary>
internal static class Labels
{
    /// <summary>
    /// The class of each column: for one row, 1 where the value exceeds <paramref name="threshold"/>, else 0;
    /// for several rows, the index of the largest value (one-hot labels or softmax probabilities).
    /// </summary>
    public static int[] Decide(Matrix<double> values, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(values);
        var classes = new int[values.ColumnCount];
        for (int j = 0; j < values.ColumnCount; j++)
        {
            if (values.RowCount == 1) { classes[j] = values[0, j] > threshold ? 1 : 0; continue; }
            int best = 0;
            for (int i = 1; i < values.RowCount; i++) if (values[i, j] > values[best, j]) best = i;
            classes[j] = best;
        }
        return classes;
    }
}
