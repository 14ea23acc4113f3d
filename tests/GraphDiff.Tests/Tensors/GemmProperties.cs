using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GraphDiff.Kernels;

namespace GraphDiff.Tests;

/// <summary>A random product: sizes 1..300 (odd and prime sizes included), transposes, α, β, and a seed.</summary>
public sealed record GemmCase(int M, int N, int K, bool TransposeA, bool TransposeB, double Alpha, double Beta, int Seed)
{
    public override string ToString() => $"{M}×{K}·{K}×{N}, transposeA {TransposeA}, transposeB {TransposeB}, α {Alpha}, β {Beta}, seed {Seed}";
}

public static class GemmGenerators
{
    private static readonly int[] Awkward = [1, 2, 3, 7, 8, 9, 13, 23, 24, 25, 31, 97, 127, 257, 263, 300];

    public static Arbitrary<GemmCase> GemmCase()
    {
        var size = Gen.OneOf(Gen.Choose(1, 300), Gen.Elements(Awkward));
        var gen =
            from m in size
            from n in size
            from k in size
            from ta in Gen.Elements(false, true)
            from tb in Gen.Elements(false, true)
            from alpha in Gen.Elements(1.0, -0.5, 2.0)
            from beta in Gen.Elements(0.0, 1.0, 0.25)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select new GemmCase(m, n, k, ta, tb, alpha, beta, seed);
        return Arb.From(gen, Shrink);
    }

    private static IEnumerable<GemmCase> Shrink(GemmCase c)
    {
        if (c.M > 1) yield return c with { M = c.M / 2 };
        if (c.N > 1) yield return c with { N = c.N / 2 };
        if (c.K > 1) yield return c with { K = c.K / 2 };
    }
}

/// <summary>
/// Every GEMM path (512-bit, 256-bit, scalar micro-kernels; one thread and several; the direct small-product
/// loop) against a plain triple loop, within a few ulps times k.
/// </summary>
[Properties(Arbitrary = [typeof(GemmGenerators)], MaxTest = 25)]
public class GemmProperties
{
    internal static void Check(GemmCase c, GemmOptions options)
    {
        var random = new Random(c.Seed);
        double[] a = Fill(random, c.M * c.K), b = Fill(random, c.K * c.N), cInit = Fill(random, c.M * c.N);
        if (c.Beta == 0) cInit[random.Next(cInit.Length)] = double.NaN; // β = 0 must ignore what C held
        int lda = c.TransposeA ? c.K : c.M, ldb = c.TransposeB ? c.N : c.K;
        var result = (double[])cInit.Clone();
        Gemm.Multiply(c.M, c.N, c.K, c.Alpha, a, lda, c.TransposeA, b, ldb, c.TransposeB, c.Beta, result, c.M, options);

        for (int j = 0; j < c.N; j++)
            for (int i = 0; i < c.M; i++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < c.K; p++)
                {
                    double x = c.TransposeA ? a[p + i * lda] : a[i + p * lda];
                    double y = c.TransposeB ? b[j + p * ldb] : b[p + j * ldb];
                    sum += x * y;
                    magnitude += Math.Abs(x * y);
                }
                double previous = c.Beta == 0 ? 0 : c.Beta * cInit[i + j * c.M];
                double expected = c.Alpha * sum + previous;
                // A few ulps per term: |error| ≤ 8(k + 2)·u·(|α|·Σ|a·b| + |β·c|) bounds any summation order.
                double tolerance = 8 * (c.K + 2) * 1.1e-16 * (Math.Abs(c.Alpha) * magnitude + Math.Abs(previous)) + 1e-300;
                Assert.True(Math.Abs(result[i + j * c.M] - expected) <= tolerance,
                    $"{c} with {options}: C[{i},{j}] = {result[i + j * c.M]}, expected {expected} (tolerance {tolerance})");
            }
    }

    private static double[] Fill(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = random.NextDouble() * 2 - 1;
        return values;
    }

    private static GemmOptions Packed(GemmKernel kernel, int threads) => new() { Kernel = kernel, Threads = threads, DirectThreshold = 0 };

    [Property] public void Vector512SingleThread(GemmCase c) => Check(c, Packed(GemmKernel.Vector512, 1));
    [Property] public void Vector512Threaded(GemmCase c) => Check(c, Packed(GemmKernel.Vector512, 3));
    [Property] public void Vector256SingleThread(GemmCase c) => Check(c, Packed(GemmKernel.Vector256, 1));
    [Property] public void Vector256Threaded(GemmCase c) => Check(c, Packed(GemmKernel.Vector256, 2));
    [Property] public void Vector128SingleThread(GemmCase c) => Check(c, Packed(GemmKernel.Vector128, 1));
    [Property] public void Vector128Threaded(GemmCase c) => Check(c, Packed(GemmKernel.Vector128, 2));
    [Property] public void ScalarSingleThread(GemmCase c) => Check(c, Packed(GemmKernel.Scalar, 1));
    [Property] public void ScalarThreaded(GemmCase c) => Check(c, Packed(GemmKernel.Scalar, 2));
    [Property] public void Direct(GemmCase c) => Check(c, new GemmOptions { DirectThreshold = long.MaxValue });
    [Property] public void Default(GemmCase c) => Check(c, GemmOptions.Default);
    [Property] public void ThinOneRow(GemmCase c) => Check(c with { M = 1 }, GemmOptions.Default);
    [Property] public void ThinOneRowOfFewTerms(GemmCase c) => Check(c with { M = 1, K = 1 + c.K % (ThinGemm.FewRows - 1) }, GemmOptions.Default);
    [Property] public void ThinOuterProduct(GemmCase c) => Check(c with { K = 1 }, GemmOptions.Default);
    [Property] public void ThinFewRows(GemmCase c) => Check(c with { M = 1 + c.M % (ThinGemm.FewRows - 1) }, GemmOptions.Default);

    [Theory]
    [InlineData(false, false, 4)]
    [InlineData(true, false, 4)]
    [InlineData(false, true, 3)]
    [InlineData(true, true, 7)]
    public void FewRowsOfViewsReadAndWriteOnlyTheirElements(bool transposeA, bool transposeB, int m)
    {
        // m rows of C inside a buffer of m + 3 rows, A and B at offsets with leading dimensions larger than needed.
        const int k = 9, n = 5;
        var random = new Random(11);
        double[] aStore = Fill(random, 200), bStore = Fill(random, 200), cStore = Fill(random, (m + 3) * n);
        var before = (double[])cStore.Clone();
        var a = transposeA ? new Tensor(aStore, 2, k, m, k + 1) : new Tensor(aStore, 2, m, k, m + 2);
        var b = transposeB ? new Tensor(bStore, 3, n, k, n + 2) : new Tensor(bStore, 3, k, n, k + 1);
        var c = new Tensor(cStore, 1, m, n, m + 3);
        Gemm.Multiply(1.5, a, transposeA, b, transposeB, 0.5, c);
        for (int j = 0; j < n; j++)
            for (int row = 0; row < m + 3; row++)
            {
                if (row < 1 || row > m) { Assert.Equal(before[row + (m + 3) * j], cStore[row + (m + 3) * j]); continue; }
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += (transposeA ? a[p, row - 1] : a[row - 1, p]) * (transposeB ? b[j, p] : b[p, j]);
                Assert.Equal(1.5 * sum + 0.5 * before[row + (m + 3) * j], cStore[row + (m + 3) * j], 12);
            }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void ThinProductsOfViewsReadAndWriteOnlyTheirElements(bool transposeA, bool transposeB)
    {
        // One row of C inside a 3-row buffer (leading dimension 3), A and B at offsets inside larger arrays.
        const int k = 5, n = 4;
        var random = new Random(7);
        double[] aStore = Fill(random, 40), bStore = Fill(random, 60), cStore = Fill(random, 3 * n);
        var before = (double[])cStore.Clone();
        var a = transposeA ? new Tensor(aStore, 3, k, 1, k + 2) : new Tensor(aStore, 3, 1, k, 2);
        var b = transposeB ? new Tensor(bStore, 1, n, k, n + 1) : new Tensor(bStore, 1, k, n, k + 3);
        var c = new Tensor(cStore, 1, 1, n, 3);
        Gemm.Multiply(2.0, a, transposeA, b, transposeB, 0.5, c);
        for (int j = 0; j < n; j++)
            for (int row = 0; row < 3; row++)
            {
                if (row != 1) { Assert.Equal(before[row + 3 * j], cStore[row + 3 * j]); continue; }
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += (transposeA ? a[p, 0] : a[0, p]) * (transposeB ? b[j, p] : b[p, j]);
                Assert.Equal(2.0 * sum + 0.5 * before[1 + 3 * j], cStore[1 + 3 * j], 12);
            }
    }

    /// <summary>
    /// Products of few rows read op(B) where it lies (no packing): depths across the 384-deep slices (the later
    /// slices add to C), ragged last panels, on both sides of the rows limit, both layouts of B, one thread and two.
    /// </summary>
    [Theory]
    [InlineData(GemmKernelName.Vector512)]
    [InlineData(GemmKernelName.Vector256)]
    [InlineData(GemmKernelName.Vector128)]
    public void FewRowsReadingBInPlaceAcrossDepthSlices(GemmKernelName kernel)
    {
        foreach (var (m, n, k) in new[] { (20, 209, 1000), (8, 13, 385), (192, 7, 769), (193, 11, 400), (1, 6, 384) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    foreach (int threads in new[] { 1, 2 })
                        Check(new GemmCase(m, n, k, ta, tb, -0.5, 0.25, m * 31 + n), Packed((GemmKernel)kernel, threads));
    }

    /// <summary>
    /// The 512-bit product's last row panel of 8 or 16 rows (NarrowKernel512): rows on both sides of 8, 16 and 24 past whole
    /// tiles (128 = 5·24 + 8, 40 = 24 + 16), full and ragged columns, B packed and read in place, β adding to C across depth
    /// slices, one thread and three.
    /// </summary>
    [Fact]
    public void NarrowLastRowPanelsOfTheWideKernel()
    {
        foreach (int m in new[] { 7, 8, 9, 16, 17, 31, 32, 33, 40, 41, 128, 200, 210 })
            foreach (var (n, k) in new[] { (8, 5), (13, 385), (24, 800) })
                foreach (bool ta in new[] { false, true })
                    foreach (bool tb in new[] { false, true })
                        foreach (double beta in new[] { 0.0, 0.5 })
                            Check(new GemmCase(m, n, k, ta, tb, -0.75, beta, m * 131 + n * 7 + k), Packed(GemmKernel.Vector512, m % 2 == 0 ? 1 : 3));
    }

    /// <summary>The kernels by name: <see cref="GemmKernel"/> is internal, and a public test method cannot take it.</summary>
    public enum GemmKernelName { Vector512 = GemmKernel.Vector512, Vector256 = GemmKernel.Vector256, Vector128 = GemmKernel.Vector128 }

    [Fact]
    public void AutoPicksTheWidestKernelTheCpuAccelerates()
    {
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) Assert.Equal(GemmKernel.Vector512, Gemm.Best);
        else Assert.NotEqual(GemmKernel.Vector512, Gemm.Best);
    }

    [Fact]
    public void MismatchedShapesAreRefusedWithTheShapes()
    {
        var a = new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(2, 3);
        var b = new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(4, 5);
        var c = new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(2, 5);
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(1, Tensor.Of(a), false, Tensor.Of(b), false, 0, Tensor.Of(c)));
        Assert.Contains("2×3", error.Message);
        Assert.Contains("4×5", error.Message);
    }
}

public class GemmArgumentTests
{
    [Fact]
    public void ArraysTooShortForTheirSizesAreRefusedBeforeAnyPointerIsUsed()
    {
        var options = new GemmOptions { DirectThreshold = 0 };
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(30, 30, 30, 1, new double[900], 30, false, new double[899], 30, false, 0, new double[900], 30, options));
        Assert.Contains("B is stored 30×30", error.Message);
        Assert.Contains("899", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(30, 30, 30, 1, new double[900], 20, false, new double[900], 30, false, 0, new double[900], 30, options));
    }
}

/// <summary>
/// The thin products at every register width. Forcing the width is process-wide, so these run in the lane-width
/// collection, alone: run beside other tests they changed those tests' products (and their last bits) mid-run.
/// </summary>
[Collection(nameof(Reliability.LaneWidthTests))]
[Properties(Arbitrary = [typeof(GemmGenerators)], MaxTest = 25)]
public class GemmAtEveryWidthProperties
{
    /// <summary>
    /// A column of C in one register and a shallow depth (the 2-4-1 network's W1·X, k = 2, and W2ᵀ·dZ2, k = 1; ThinGemm's
    /// ShallowColumns) at every width: m = 2 and 4 against k = 1 … 4, every transpose, β, and the one-row product of few terms.
    /// </summary>
    [Fact]
    public void ShallowColumnsAtEveryWidth()
    {
        foreach (int bits in new[] { 512, 256, 128, 64 })
            using (LaneWidth.Force(bits))
                foreach (int m in new[] { 1, 2, 4 })
                    foreach (int k in new[] { 1, 2, 3, 4, 7 })
                        foreach (bool ta in new[] { false, true })
                            foreach (bool tb in new[] { false, true })
                                foreach (double beta in new[] { 0.0, 0.5 })
                                    GemmProperties.Check(new GemmCase(m, 37, k, ta, tb, -1.5, beta, m * 97 + k * 13 + bits), GemmOptions.Default);
    }

    /// <summary>Few rows and one row of few columns at every register width (each picks its own registers per column).</summary>
    [Property]
    public void ThinFewRowsAtEveryWidth(GemmCase c)
    {
        foreach (int bits in new[] { 512, 256, 128, 64 })
            using (LaneWidth.Force(bits))
            {
                GemmProperties.Check(c with { M = 1 + c.M % (ThinGemm.FewRows - 1) }, GemmOptions.Default);
                GemmProperties.Check(c with { M = 1, N = 1 + c.N % (ThinGemm.FewRows - 1) }, GemmOptions.Default);
            }
    }
}
