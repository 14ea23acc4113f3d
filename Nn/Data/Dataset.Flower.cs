using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

public sealed partial record Dataset
{
    /// <summary>
    /// The course's "planar" data set: two classes shaped as the interleaved petals of a flower, which a straight
    /// line cannot separate. <paramref name="m"/> points (half per class) in the plane: for class j, angles t spread
    /// over [3.12j, 3.12(j+1)] plus noise 0.2, radius r = 4·sin(4t) plus noise 0.2, point (r·sin t, r·cos t).
    /// X is (2, m), Y is (1, m).
    /// </summary>
    public static Dataset Flower(int m = 400, int seed = 1)
    {
        if (m < 2 || m % 2 != 0) throw new ArgumentOutOfRangeException(nameof(m), $"m must be a positive even number, got {m}.");
        var normal = new Normal(0, 1, new Random(seed));
        int perClass = m / 2;
        const double maxRay = 4;
        var x = new DenseMatrix(2, m);
        var y = new DenseMatrix(1, m);
        for (int j = 0; j < 2; j++)
            for (int k = 0; k < perClass; k++)
            {
                int column = j * perClass + k;
                double t = j * 3.12 + (perClass == 1 ? 0 : 3.12 * k / (perClass - 1)) + normal.Sample() * 0.2;
                double r = maxRay * Math.Sin(4 * t) + normal.Sample() * 0.2;
                x[0, column] = r * Math.Sin(t);
                x[1, column] = r * Math.Cos(t);
                y[0, column] = j;
            }
        return new Dataset(x, y);
    }
}
