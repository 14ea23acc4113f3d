using System.Numerics;
using GraphDiff.Kernels;
using GraphDiff.Tensors;

namespace GraphDiff.Tests;

/// <summary>
/// A product's write-back (<c>TensorMath.MatrixMultiply(…, columnsFinished)</c>): every column of C is reported exactly
/// once, each run holds its final values when reported (a snapshot taken in the call equals C afterwards, bit for bit),
/// two calls of one part never overlap, and C is the product without a write-back, bit for bit. On every path: thin
/// products, the direct loop, the packed kernels on one thread, with threads splitting C's columns and splitting its rows
/// (reported after the product), sizes around the micro-tile widths and the reporting run's size, empty sizes, k = 0.
/// </summary>
public class ColumnsFinishedTests
{
    public static TheoryData<string, int, int, int, int> Products()
    {
        var data = new TheoryData<string, int, int, int, int>();
        // Thin (one row, outer, few rows), direct, and packed shapes, on the default kernel, one thread and two.
        foreach (var (m, n, k) in new[] { (1, 300, 50), (64, 300, 1), (4, 500, 3), (10, 10, 10), (128, 2000, 64), (128, 64, 784),
                     (2000, 16, 300), (128, 31, 100), (128, 32, 100), (128, 33, 100), (129, 1025, 20), (0, 40, 5), (40, 0, 5), (40, 50, 0) })
            foreach (int threads in new[] { 1, 2 })
                data.Add("Auto", m, n, k, threads);
        // Every micro-kernel, with ragged tiles and panels (nr = 8, 6, 6, 4) and a row split.
        foreach (var kernel in new[] { "Vector512", "Vector256", "Vector128", "Scalar" })
            foreach (var (m, n, k) in new[] { (97, 49, 33), (25, 7, 400), (300, 13, 9) })
                foreach (int threads in new[] { 1, 2 })
                    data.Add(kernel, m, n, k, threads);
        return data;
    }

    [Theory, MemberData(nameof(Products))]
    public void EveryColumnIsReportedOnceWithItsFinalValues(string kernelName, int m, int n, int k, int threads)
    {
        var options = new GemmOptions { Kernel = Enum.Parse<GemmKernel>(kernelName), Threads = threads, DirectThreshold = kernelName == "Auto" ? 24 * 24 * 24 : 0 };
        var random = new Random(m * 131 + n * 7 + k + threads);
        foreach (var (ta, tb) in new[] { (false, false), (true, true) })
        {
            Check<double>(random, m, n, k, ta, tb, options, (c, finished) =>
                Gemm.Multiply(m, n, k, 0.5, c.A, 0, Math.Max(1, ta ? k : m), ta, c.B, 0, Math.Max(1, tb ? n : k), tb, 0, c.C, 0, Math.Max(1, m), options, finished));
            Check<float>(random, m, n, k, ta, tb, options, (c, finished) =>
                Gemm.Multiply(m, n, k, 0.5f, c.A, 0, Math.Max(1, ta ? k : m), ta, c.B, 0, Math.Max(1, tb ? n : k), tb, 0f, c.C, 0, Math.Max(1, m), options, finished));
        }
    }

    private sealed record Operands<T>(T[] A, T[] B, T[] C);

    private static void Check<T>(Random random, int m, int n, int k, bool ta, bool tb, GemmOptions options, Action<Operands<T>, Action<int, int, int>?> multiply)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] Values(int count) => Enumerable.Range(0, count).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5)).ToArray();
        var a = Values(m * k);
        var b = Values(k * n);
        var plain = new Operands<T>(a, b, Values(m * n));
        multiply(plain, null);
        var reported = new Operands<T>(a, b, Values(m * n));   // stale values: a column read before it is final shows them
        var snapshot = new T[m * n];
        var seen = new int[n];
        var inFlight = new int[Environment.ProcessorCount];
        var calls = 0;
        multiply(reported, (part, first, end) =>
        {
            Assert.InRange(part, 0, Environment.ProcessorCount - 1);
            Assert.Equal(1, Interlocked.Increment(ref inFlight[part]));
            Assert.True(0 <= first && first < end && end <= n, $"run {first}..{end} of {n} columns");
            Array.Copy(reported.C, first * m, snapshot, first * m, (end - first) * m);
            for (int j = first; j < end; j++) Interlocked.Increment(ref seen[j]);
            Interlocked.Increment(ref calls);
            Thread.SpinWait(50);   // widen the window in which a second call of the part would overlap
            Interlocked.Decrement(ref inFlight[part]);
        });
        string what = $"{typeof(T).Name} {m}×{n}×{k} ta={ta} tb={tb} {options.Kernel} threads={options.Threads}";
        Assert.True(m == 0 || n == 0 || seen.All(count => count == 1), $"{what}: columns reported {string.Join(",", seen.Distinct())} times");
        if (m == 0 || n == 0) Assert.Equal(0, calls);
        Assert.True(plain.C.AsSpan().SequenceEqual(reported.C), $"{what}: C differs from the product without a write-back");
        Assert.True(snapshot.AsSpan().SequenceEqual(reported.C), $"{what}: a run was reported before it was final");
    }

    [Fact]
    public void ThePublicFormsRefuseANullCallbackAndReportEveryColumn()
    {
        var a = Tensor.Zeros(3, 4);
        var b = Tensor.Zeros(4, 5);
        var c = Tensor.Zeros(3, 5);
        Assert.Throws<ArgumentNullException>(() => TensorMath.MatrixMultiply(a, b, c, false, false, 1.0, null!));
        int columns = 0;
        TensorMath.MatrixMultiply(a, b, c, false, false, 1.0, (_, first, end) => columns += end - first);
        Assert.Equal(5, columns);
        var af = new Tensor<float>(new float[12], 0, 3, 4, 3);
        var bf = new Tensor<float>(new float[20], 0, 4, 5, 4);
        var cf = new Tensor<float>(new float[15], 0, 3, 5, 3);
        columns = 0;
        TensorMath.MatrixMultiply(af, bf, cf, false, false, 1f, (_, first, end) => columns += end - first);
        Assert.Equal(5, columns);
        Assert.Throws<ArgumentException>(() => TensorMath.MatrixMultiply(a, c, b, false, false, 1.0, (_, _, _) => { }));
    }
}
