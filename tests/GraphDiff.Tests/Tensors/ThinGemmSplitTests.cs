using GraphDiff.Kernels;

namespace GraphDiff.Tests;

/// <summary>
/// Thin products (one row of C, an outer product, few rows) split over the cores by ranges of C's columns give the bits
/// of one thread, on every thin path, with column counts around the parts' 64-column bounds, transposes, α and β.
/// </summary>
public class ThinGemmSplitTests
{
    [Theory]
    [InlineData(1, 8000, 64)]    // W3·A2 of the deep network
    [InlineData(64, 8000, 1)]    // W3ᵀ·dZ3, an outer product
    [InlineData(1, 127, 9)]      // too few columns for two parts
    [InlineData(1, 128, 3)]      // two parts of 64, few terms
    [InlineData(4, 193, 2)]      // few rows, a ragged last part
    [InlineData(2, 1000, 5)]
    [InlineData(7, 4099, 33)]
    [InlineData(1, 4100, 9)]     // a write-back's runs of 4,096 columns and a last one of 4, taken into the run before
    public void ASplitGivesTheBitsOfOneThread(int m, int n, int k)
    {
        var random = new Random(m * 31 + n + k);
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            double[] Values(int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble() - 0.5).ToArray();
            var a = Values(m * k);
            var b = Values(k * n);
            var c0 = Values(m * n);
            var one = (double[])c0.Clone();
            var split = (double[])c0.Clone();
            void Multiply(double[] c, int threads) => Gemm.Multiply(m, n, k, 0.75, a, ta ? k : m, ta, b, tb ? n : k, tb, -0.5, c, m,
                new GemmOptions { Threads = threads });
            Multiply(one, 1);
            Multiply(split, 2);
            Assert.True(one.AsSpan().SequenceEqual(split), $"{m}×{n}×{k} ta={ta} tb={tb}: two threads differ from one");
            // Reported to a write-back, in runs of about 4,096 elements, on one thread and two: the same bits again.
            foreach (int threads in new[] { 1, 2 })
            {
                var reported = (double[])c0.Clone();
                int columns = 0;
                Gemm.Multiply(m, n, k, 0.75, a, 0, ta ? k : m, ta, b, 0, tb ? n : k, tb, -0.5, reported, 0, m, new GemmOptions { Threads = threads },
                    (_, first, end) => Interlocked.Add(ref columns, end - first));
                Assert.Equal(n, columns);
                Assert.True(one.AsSpan().SequenceEqual(reported), $"{m}×{n}×{k} ta={ta} tb={tb}: reported runs on {threads} thread(s) differ");
            }
            // And the product itself, against a plain sum (the split must not lose or repeat a range).
            for (int j = 0; j < n; j += Math.Max(1, n / 17))
                for (int i = 0; i < m; i++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++) sum += (ta ? a[p + i * k] : a[i + p * m]) * (tb ? b[j + p * n] : b[p + j * k]);
                    Assert.Equal(0.75 * sum - 0.5 * c0[i + j * m], split[i + j * m], 1e-12);
                }
        }
    }
}
