using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Nn;

/// <summary>
/// Rescales each feature (row of X) to mean 0 and standard deviation 1, with the mean and deviation fitted on the
/// training set only and then applied unchanged to the test set (fitting on the test set would leak it into training).
/// </summary>
public sealed class Standardizer
{
    private Standardizer(double[] mean, double[] deviation)
    {
        Mean = mean;
        Deviation = deviation;
    }

    /// <summary>Each feature's training mean.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Each feature's training standard deviation (1 for a constant feature, which is then only centred).</summary>
    public IReadOnlyList<double> Deviation { get; }

    /// <summary>Fits on the training examples <paramref name="x"/> (features, m).</summary>
    public static Standardizer Fit(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.RowCount, m = x.ColumnCount;
        if (m == 0) throw new ArgumentException($"Cannot fit a standardizer on no examples: X is {n}×0 (examples are columns).", nameof(x));
        if (Tensor.Of(x).FirstNonFinite() is { } bad)
            throw new ArgumentException($"X holds {bad.Value} at example {bad.Column} (feature {bad.Row}); a standardizer is fitted on finite data.", nameof(x));
        var mean = new double[n];
        var deviation = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < m; j++) sum += x[i, j];
            mean[i] = sum / m;
            double squares = 0;
            for (int j = 0; j < m; j++) squares += (x[i, j] - mean[i]) * (x[i, j] - mean[i]);
            double sd = Math.Sqrt(squares / m);
            deviation[i] = sd > 1e-12 ? sd : 1;
        }
        return new Standardizer(mean, deviation);
    }

    /// <summary>(x − mean) / deviation, feature by feature, as a new matrix.</summary>
    public Matrix<double> Transform(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.RowCount != Mean.Count)
            throw new ArgumentException($"The standardizer was fitted on {Mean.Count} features but X has {x.RowCount} rows.", nameof(x));
        return Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => (x[i, j] - Mean[i]) / Deviation[i]);
    }
}
