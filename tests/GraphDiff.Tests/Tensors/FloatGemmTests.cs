using GraphDiff.Kernels;

namespace GraphDiff.Tests;

/// <summary>
/// The float product (float32 training's GEMM) against the same product summed in double from the same float
/// operands, on every micro-kernel (48×8 at 512 bits, 16×6 at 256, 8×6 at 128, 4×4 scalar), with sizes on both sides
/// of every tile, panel and depth boundary (the float depth slice is 768), transposes, α and β (β = 0 ignoring a NaN
/// in C), views with offsets and leading dimensions, one thread against several bit for bit, and refusals of storage
/// too small. The bound is the classic one for a sum of k products in float: |C − Ĉ| ≤ 2k·2⁻²⁴·Σ|α·a·b| + |β·c|·2⁻²⁴.
/// </summary>
public class FloatGemmTests
{
    // The kernel by name: GemmKernel is internal, and a public test method cannot take it.
    public static TheoryData<string, int, int, int> Sizes()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var kernel in new[] { "Vector512", "Vector256", "Vector128", "Scalar" })
        {
            foreach (var (m, n, k) in new[] { (1, 1, 1), (47, 7, 5), (48, 8, 3), (49, 9, 33), (15, 5, 767), (16, 6, 768), (17, 13, 769), (97, 50, 17), (300, 11, 40) })
                data.Add(kernel, m, n, k);
        }
        data.Add("Vector256", 289, 770, 1537);   // several A blocks, B panels and depth slices
        // The mini-batch's W1·X and dW1: ragged 48-row tiles (128 = 48 + 48 + 32), two depth slices of 392, and k = 64.
        data.Add("Vector512", 128, 64, 784);
        data.Add("Vector512", 128, 784, 64);
        return data;
    }

    [Theory, MemberData(nameof(Sizes))]
    public void EveryKernelIsTheDoubleSumWithinFloatRounding(string kernelName, int m, int n, int k)
    {
        var kernel = Enum.Parse<GemmKernel>(kernelName);
        var random = new Random(m * 7919 + n * 31 + k);
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var c = Case.Random(random, m, n, k, ta, tb, alpha: 0.75f, beta: -0.5f);
            c.Run(new GemmOptions { Kernel = kernel, DirectThreshold = 0 });
            c.AssertClose($"{kernel} {m}×{n}×{k} ta={ta} tb={tb}");
        }
    }

    [Fact]
    public void ViewsWithOffsetsAndLeadingDimensionsAreRead()
    {
        var random = new Random(3);
        var c = Case.Random(random, 37, 29, 53, false, true, alpha: 1, beta: 0, offset: 5, extraRows: 3);
        c.Run(new GemmOptions { Kernel = GemmKernel.Vector256, DirectThreshold = 0 });
        c.AssertClose("views");
    }

    [Fact]
    public void BetaZeroIgnoresNaNInC()
    {
        var c = Case.Random(new Random(4), 20, 20, 20, false, false, alpha: 1, beta: 0);
        Array.Fill(c.C, float.NaN);
        c.Run(GemmOptions.Default);
        Assert.DoesNotContain(c.C, float.IsNaN);
        c.AssertClose("β = 0 over NaN");
    }

    [Fact]
    public void ManyThreadsGiveTheBitsOfOne()
    {
        // (128, 64, 784) splits C's columns (three 48-row tiles would split 48 | 80), (300, 301, 200) its rows or columns.
        foreach (var (m, n, k) in new[] { (300, 301, 200), (64, 1000, 129), (128, 64, 784), (1000, 64, 50) })
        {
            var one = Case.Random(new Random(m), m, n, k, false, true, alpha: 1, beta: 0);
            var many = one.Copy();
            one.Run(new GemmOptions { Threads = 1 });
            many.Run(new GemmOptions { Threads = 4 });
            Assert.Equal(one.C, many.C);
            one.AssertClose($"{m}×{n}×{k}");
        }
    }

    [Fact]
    public void StorageTooSmallIsRefusedNamingTheOperand()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(30, 30, 30, 1f, new float[900], 0, 30, false, new float[899], 0, 30, false, 0f, new float[900], 0, 30, GemmOptions.Default));
        Assert.Contains("B is stored 30×30", error.Message);
    }

    /// <summary>One product's operands (float, column-major, op(·) as asked) and the reference computed in double.</summary>
    private sealed record Case(int M, int N, int K, bool TransposeA, bool TransposeB, float Alpha, float Beta,
        float[] A, int Lda, float[] B, int Ldb, float[] C, int Ldc, int Offset, double[] Expected, double[] Bound)
    {
        public static Case Random(Random random, int m, int n, int k, bool ta, bool tb, float alpha, float beta, int offset = 0, int extraRows = 0)
        {
            int ar = ta ? k : m, ac = ta ? m : k, br = tb ? n : k, bc = tb ? k : n;
            int lda = ar + extraRows, ldb = br + extraRows, ldc = m + extraRows;
            float[] Fill(int length) => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var a = Fill(offset + lda * ac);
            var b = Fill(offset + ldb * bc);
            var c = Fill(offset + ldc * n);
            var expected = new double[m * n];
            var bound = new double[m * n];
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++)
                {
                    double sum = 0, magnitude = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double x = ta ? a[offset + p + i * lda] : a[offset + i + p * lda];
                        double y = tb ? b[offset + j + p * ldb] : b[offset + p + j * ldb];
                        sum += x * y;
                        magnitude += Math.Abs(x * y);
                    }
                    double old = c[offset + i + j * ldc];
                    expected[i + j * m] = alpha * sum + beta * old;
                    bound[i + j * m] = (2.0 * k + 4) * Math.Pow(2, -24) * (Math.Abs(alpha) * magnitude + Math.Abs(beta * old)) + 1e-30;
                }
            return new Case(m, n, k, ta, tb, alpha, beta, a, lda, b, ldb, c, ldc, offset, expected, bound);
        }

        public Case Copy() => this with { C = (float[])C.Clone() };

        public void Run(GemmOptions options) =>
            Gemm.Multiply(M, N, K, Alpha, A, Offset, Lda, TransposeA, B, Offset, Ldb, TransposeB, Beta, C, Offset, Ldc, options);

        public void AssertClose(string what)
        {
            for (int j = 0; j < N; j++)
                for (int i = 0; i < M; i++)
                {
                    double actual = C[Offset + i + j * Ldc], error = Math.Abs(actual - Expected[i + j * M]);
                    Assert.True(error <= Bound[i + j * M], $"{what}: C[{i},{j}] = {actual}, expected {Expected[i + j * M]} (off by {error:G3}, bound {Bound[i + j * M]:G3})");
                }
        }
    }
}
