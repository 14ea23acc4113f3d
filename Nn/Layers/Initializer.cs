using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>Creates initial weight matrices from a seeded random source, so a run is reproducible.</summary>
public static class Initializer
{
    /// <summary>A (rows × columns) weight matrix, with <paramref name="columns"/> = n[l−1] the fan-in.</summary>
    public static Matrix<double> Weights(Initialization initialization, int rows, int columns, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double scale = initialization switch
        {
            Initialization.Zeros => 0,
            Initialization.SmallRandom => 0.01,
            Initialization.He => Math.Sqrt(2.0 / columns),
            Initialization.Xavier => Math.Sqrt(1.0 / columns),
            _ => throw new ArgumentOutOfRangeException(nameof(initialization), initialization, "Unknown initialisation."),
        };
        if (scale == 0) return new DenseMatrix(rows, columns);
        var normal = new Normal(0, 1, random);
        var w = new DenseMatrix(rows, columns);
        var values = w.Values;
        for (int i = 0; i < values.Length; i++) values[i] = normal.Sample() * scale;
        return w;
    }
}
