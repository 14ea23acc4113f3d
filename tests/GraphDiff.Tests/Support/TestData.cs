using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>Seeded random matrices in the domains the gradient tests need.</summary>
internal static class TestData
{
    public static Matrix<double> Matrix(Random random, Shape shape, Func<Random, double> element)
    {
        var m = new DenseMatrix(shape.Rows, shape.Columns);
        for (int j = 0; j < shape.Columns; j++)
            for (int i = 0; i < shape.Rows; i++)
                m[i, j] = element(random);
        return m;
    }

    public static double Any(Random r) => r.NextDouble() * 4 - 2;
    public static double Unit(Random r) => r.NextDouble() * 2 - 1;
    public static double Positive(Random r) => 0.2 + r.NextDouble() * 1.8;
    public static double AwayFromZero(Random r) => (r.Next(2) == 0 ? -1 : 1) * Positive(r);
    public static double Probability(Random r) => 0.05 + r.NextDouble() * 0.9;

    /// <summary>Away from the clip bounds ±0.5 used in the Clip test.</summary>
    public static double AwayFromHalf(Random r) => r.Next(3) switch
    {
        0 => -0.6 - r.NextDouble() * 1.4,
        1 => -0.4 + r.NextDouble() * 0.8,
        _ => 0.6 + r.NextDouble() * 1.4,
    };

    /// <summary>The columns of <paramref name="m"/> (positive) scaled to sum to 1: labels of a softmax cross-entropy.</summary>
    public static Matrix<double> Distributions(Matrix<double> m) =>
        Matrix<double>.Build.Dense(m.RowCount, m.ColumnCount, (i, j) => m[i, j] / m.Column(j).Sum());
}
