namespace GraphDiff.Tests;

/// <summary>
/// Sums along each axis against a plain loop, at every size around the thresholds where the work is split: one
/// row, short columns summed a register of columns at a time (below 16 rows), long columns, and column counts
/// around multiples of the register width.
/// </summary>
public class ReductionTests
{
    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int rows in new[] { 0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33 })
            foreach (int columns in new[] { 0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 400, 401 })
                data.Add(rows, columns);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SumsAlongEachAxisMatchAPlainLoop(int rows, int columns)
    {
        var random = new Random(rows * 1000 + columns);
        var x = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(rows, columns, (_, _) => random.NextDouble() * 2 - 1);
        // Only the batch dimension may be 0: an empty axis is m = 0 examples.
        var input = Graph.Input("X", rows == 0 ? Shape.Batch : rows, columns == 0 ? Shape.Batch : columns);
        var feed = new Feed { { input, x } };
        var down = Op.Sum(input, axis: 0).Evaluate(feed);
        var across = Op.Sum(input, axis: 1).Evaluate(feed);
        for (int j = 0; j < columns; j++)
        {
            double sum = 0, magnitude = 0;
            for (int i = 0; i < rows; i++) { sum += x[i, j]; magnitude += Math.Abs(x[i, j]); }
            Assert.True(Math.Abs(sum - down[0, j]) <= 4 * (rows + 1) * 1.1e-16 * magnitude, $"column {j}: {down[0, j]}, expected {sum}");
        }
        for (int i = 0; i < rows; i++)
        {
            double sum = 0, magnitude = 0;
            for (int j = 0; j < columns; j++) { sum += x[i, j]; magnitude += Math.Abs(x[i, j]); }
            Assert.True(Math.Abs(sum - across[i, 0]) <= 4 * (columns + 1) * 1.1e-16 * magnitude, $"row {i}: {across[i, 0]}, expected {sum}");
        }
    }
}
