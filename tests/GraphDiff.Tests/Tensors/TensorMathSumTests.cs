using GraphDiff.Tensors;

namespace GraphDiff.Tests;

/// <summary>
/// <see cref="TensorMath.Sum"/> over each axis against a plain loop: short columns (the register-of-columns path,
/// with every remainder of columns), columns of 16 rows and more, one row, no rows or no columns, and views with
/// gaps; and its argument checks.
/// </summary>
public class TensorMathSumTests
{
    public static TheoryData<int, int, int> ShapesAndGaps()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int rows in new[] { 0, 1, 2, 4, 5, 15, 16, 17, 40 })
            foreach (int columns in new[] { 0, 1, 3, 8, 9, 17, 64 })
                foreach (int gap in new[] { 0, 2 })
                    data.Add(rows, columns, gap);
        return data;
    }

    [Theory, MemberData(nameof(ShapesAndGaps))]
    public void EachAxisMatchesAPlainLoop(int rows, int columns, int gap)
    {
        var random = new Random(rows * 1000 + columns * 10 + gap);
        var x = TensorViews.Random(random, rows, columns, gap);
        foreach (int? axis in new int?[] { null, 0, 1 })
        {
            var (r, c) = axis switch { null => (1, 1), 0 => (1, columns), _ => (rows, 1) };
            var d = TensorViews.Random(random, r, c, gap);
            TensorMath.Sum(x, axis, d);
            Assert.True(TensorViews.GapsUntouched(d), $"axis {axis}: written outside the destination");
            for (int j = 0; j < c; j++)
                for (int i = 0; i < r; i++)
                {
                    double expected = 0, magnitude = 0;
                    for (int jj = 0; jj < columns; jj++)
                        for (int ii = 0; ii < rows; ii++)
                            if ((axis != 0 || jj == j) && (axis != 1 || ii == i)) { expected += x[ii, jj]; magnitude += Math.Abs(x[ii, jj]); }
                    Assert.True(Math.Abs(d[i, j] - expected) <= 4 * (rows * columns + 1) * 1.1e-16 * magnitude,
                        $"Sum of {rows}×{columns} over axis {axis?.ToString() ?? "all"}: ({i}, {j}) is {d[i, j]}, expected {expected}");
                }
        }
    }

    [Fact]
    public void AWrongDestinationOrAxisIsRefusedNamingTheShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorMath.Sum(Tensor.Zeros(3, 4), 1, Tensor.Zeros(1, 4)));
        Assert.Contains("x is 3×4, so its sum over axis 1 is 3×1, but the destination is 1×4", error.Message);
        Assert.Equal("destination", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorMath.Sum(Tensor.Zeros(3, 4), 2, Tensor.Zeros(1, 1)));
        var x = Tensor.Zeros(3, 4);
        Assert.Throws<ArgumentException>(() => TensorMath.Sum(x, 0, new Tensor(x.Array, 0, 1, 4, 1)));
        Assert.Throws<ArgumentNullException>(() => TensorMath.Sum(default, null, Tensor.Zeros(1, 1)));
    }

    /// <summary>
    /// Row sums of 16 rows or more, by registers of rows and split over the cores for large inputs: each row summed in
    /// column order, bit for bit, for rows around the four-register block (32 doubles, 64 floats with 256-bit vectors;
    /// wider on AVX-512) and column counts either side of the split's threshold.
    /// </summary>
    [Theory]
    [InlineData(16, 1)]
    [InlineData(17, 5)]
    [InlineData(31, 9)]
    [InlineData(32, 9)]
    [InlineData(33, 100)]
    [InlineData(64, 2047)]
    [InlineData(64, 2049)]
    [InlineData(128, 8000)]
    [InlineData(129, 1017)]
    [InlineData(200, 700)]
    public void LongRowsAreSummedInColumnOrderBitForBit(int rows, int columns)
    {
        var random = new Random(rows * 7 + columns);
        var x = new double[rows * columns];
        for (int k = 0; k < x.Length; k++) x[k] = random.NextDouble() - 0.5;
        var y = Tensor.Zeros(rows, 1);
        TensorMath.Sum(new Tensor(x, 0, rows, columns, rows), 1, y);
        var xf = x.Select(v => (float)v).ToArray();
        var yf = new GraphDiff.Tensors.Tensor<float>(new float[rows], 0, rows, 1, rows);
        TensorMath.Sum(new GraphDiff.Tensors.Tensor<float>(xf, 0, rows, columns, rows), 1, yf);
        for (int i = 0; i < rows; i++)
        {
            double sum = x[i];
            float sumF = xf[i];
            for (int j = 1; j < columns; j++) { sum += x[j * rows + i]; sumF += xf[j * rows + i]; }
            Assert.Equal(sum, y[i, 0]);
            Assert.Equal(sumF, yf[i, 0]);
        }
    }
}
