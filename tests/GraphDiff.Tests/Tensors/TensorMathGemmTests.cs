using GraphDiff.Kernels;
using GraphDiff.Tensors;

namespace GraphDiff.Tests;

/// <summary>
/// <see cref="TensorMath.MatrixMultiply"/> against a plain triple loop at the sizes where GEMM changes path: empty
/// sides, the thin paths (one row, k = 1, fewer than 8 rows), the direct loop's threshold (24³ multiply-adds),
/// the micro-kernels' register blocks (24, 8 and 4 rows; 8 and 6 columns), the packed panels' edges (k = 384;
/// 48, 96 and 288 rows; 768 and 1024 columns; 192 rows in place) and the parallel split (2²¹), each with all four
/// transpose combinations and α/β cases, on views with NaN in their gaps.
/// </summary>
/// <remarks>Not run in parallel with other tests: forcing the lane width is process-wide, and beside other tests it
/// changed their products' last bits mid-run (PlanHistoryTests caught a reused plan differing by 8e-16).</remarks>
[Collection(nameof(Reliability.LaneWidthTests))]
public class TensorMathGemmTests
{
    public static TheoryData<int, int, int> Sizes() => new()
    {
        { 0, 3, 4 }, { 3, 0, 4 }, { 3, 4, 0 }, { 0, 0, 0 }, { 1, 1, 1 },
        { 1, 17, 9 }, { 13, 11, 1 }, { 7, 9, 5 }, { 8, 9, 5 }, { 9, 7, 5 }, { 2, 5, 3 }, { 4, 6, 3 },
        { 23, 24, 24 }, { 24, 24, 24 }, { 25, 24, 24 }, { 25, 9, 33 }, { 33, 13, 17 },
        { 9, 10, 383 }, { 9, 10, 384 }, { 9, 10, 385 },
        { 47, 9, 30 }, { 49, 9, 30 }, { 95, 9, 30 }, { 96, 9, 30 }, { 97, 9, 30 }, { 287, 7, 20 }, { 289, 9, 20 },
        { 191, 9, 20 }, { 193, 9, 20 },
        { 9, 767, 5 }, { 9, 769, 5 }, { 9, 1023, 5 }, { 9, 1025, 5 },
        { 131, 129, 130 },
    };

    private static readonly (double Alpha, double Beta)[] Scalings = [(1, 0), (-0.5, 0.25), (2, 1), (0, 0.5)];

    [Theory, MemberData(nameof(Sizes))]
    public void EveryPathMatchesATripleLoop(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (var (alpha, beta) in Scalings)
                    Check(m, n, k, ta, tb, alpha, beta, seed: m * 31 + n * 7 + k);
    }

    [Theory, InlineData(64), InlineData(128), InlineData(256), InlineData(512)]
    public void TheThinPathsMatchATripleLoopAtEveryLaneWidth(int bits)
    {
        using var _ = LaneWidth.Force(bits);
        foreach (var (m, n, k) in new[] { (1, 5, 7), (1, 2, 9), (2, 7, 5), (3, 9, 4), (4, 5, 6), (5, 3, 17), (7, 11, 1) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    Check(m, n, k, ta, tb, -0.5, 0.25, seed: bits + m);
    }

    internal static void Check(int m, int n, int k, bool ta, bool tb, double alpha, double beta, int seed)
    {
        var random = new Random(seed);
        var a = ta ? TensorViews.Random(random, k, m, gap: 2) : TensorViews.Random(random, m, k, gap: 2);
        var b = tb ? TensorViews.Random(random, n, k, gap: 1) : TensorViews.Random(random, k, n, gap: 1);
        var c = TensorViews.Random(random, m, n, gap: 3);
        if (beta == 0 && c.Length > 0) c[random.Next(m), random.Next(n)] = double.NaN;   // β = 0 ignores what C held
        var before = c.Clone();

        TensorMath.MatrixMultiply(a, b, c, ta, tb, alpha, beta);

        string what = $"{m}×{k}·{k}×{n}, transposeA {ta}, transposeB {tb}, α {alpha}, β {beta}";
        Assert.True(TensorViews.GapsUntouched(c), $"{what}: written outside C");
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = ta ? a[p, i] : a[i, p], y = tb ? b[j, p] : b[p, j];
                    sum += x * y;
                    magnitude += Math.Abs(x * y);
                }
                double previous = beta == 0 ? 0 : beta * before[i, j];
                double expected = alpha * sum + previous;
                double tolerance = 8 * (k + 2) * 1.1e-16 * (Math.Abs(alpha) * magnitude + Math.Abs(previous)) + 1e-300;
                Assert.True(Math.Abs(c[i, j] - expected) <= tolerance, $"{what}: C[{i},{j}] = {c[i, j]}, expected {expected}");
            }
    }

    [Fact]
    public void MismatchedShapesAreRefusedNamingBothOperands()
    {
        Tensor a = Tensor.Zeros(3, 4), b = Tensor.Zeros(5, 2);
        var inner = Assert.Throws<ArgumentException>(() => TensorMath.MatrixMultiply(a, b, Tensor.Zeros(3, 2)));
        Assert.Contains("A is 3×4", inner.Message);
        Assert.Contains("B is 5×2", inner.Message);

        var transposed = Assert.Throws<ArgumentException>(() => TensorMath.MatrixMultiply(a, Tensor.Zeros(2, 5), Tensor.Zeros(3, 2), transposeB: true));
        Assert.Contains("used transposed, 5×2", transposed.Message);

        var result = Assert.Throws<ArgumentException>(() => TensorMath.MatrixMultiply(a, Tensor.Zeros(4, 2), Tensor.Zeros(2, 3)));
        Assert.Contains("C must be 3×2, but it is 2×3", result.Message);
        Assert.Equal("c", result.ParamName);
    }

    [Fact]
    public void AProductIntoItsOwnOperandIsRefused()
    {
        var square = Tensor.Zeros(4, 4);
        Assert.Throws<ArgumentException>(() => TensorMath.MatrixMultiply(square, Tensor.Zeros(4, 4), square));
        var storage = new double[40];
        var a = new Tensor(storage, 0, 4, 4, 4);
        var overlapping = new Tensor(storage, 10, 4, 4, 4);
        Assert.Throws<ArgumentException>(() => TensorMath.MatrixMultiply(Tensor.Zeros(4, 4), a, overlapping));
        // Separate parts of one buffer are fine.
        TensorMath.MatrixMultiply(a, Tensor.Zeros(4, 4), new Tensor(storage, 16, 4, 4, 4));
    }

    [Fact]
    public void ADefaultTensorIsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => TensorMath.MatrixMultiply(default, Tensor.Zeros(0, 0), Tensor.Zeros(0, 0)));
        Assert.Throws<ArgumentNullException>(() => TensorMath.MatrixMultiply(Tensor.Zeros(0, 0), Tensor.Zeros(0, 0), default));
    }
}
