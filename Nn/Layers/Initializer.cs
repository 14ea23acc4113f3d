using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>Creates initial weight matrices from a seeded random source, so a run is reproducible.</summary>
public static class Initializer
{
    /// <summary>
    /// A (rows × columns) weight matrix from a random source seeded with <paramref name="seed"/>, for graphs built
    /// by hand: <c>Graph.Variable("W1", Initializer.Weights(Initialization.He, 64, 784, seed: 1))</c>.
    /// </summary>
    public static Matrix<double> Weights(Initialization initialization, int rows, int columns, int seed) =>
        Weights(initialization, rows, columns, new Random(seed));

    /// <summary>
    /// A convolution kernel of shape (size, size, channels, filters) as its storage, a (size·size·channels) × filters
    /// matrix, scaled by the fan-in size·size·channels:
    /// <c>Graph.Variable("K1", Shape.Of(5, 5, 1, 16), Initializer.Kernel(Initialization.He, 5, 1, 16, seed: 1))</c>.
    /// </summary>
    public static Matrix<double> Kernel(Initialization initialization, int size, int channels, int filters, int seed) =>
        Weights(initialization, filters, checked(size * size * channels), new Random(seed)).Transpose();

    /// <summary>A (rows × columns) weight matrix, with <paramref name="columns"/> = n[l−1] the fan-in, drawn from <paramref name="random"/>.</summary>
    public static Matrix<double> Weights(Initialization initialization, int rows, int columns, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (rows <= 0 || columns <= 0) throw new ArgumentOutOfRangeException(nameof(rows), $"A weight matrix needs positive sizes, got {rows}×{columns}.");
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
