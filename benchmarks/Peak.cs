using System.Numerics;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Benchmarks;

/// <summary>Measures the machine's double-precision FMA peak in this run: independent FMA chains, no memory traffic.</summary>
internal static class Peak
{
    /// <summary>
    /// GFLOP/s of one core running independent FMA chains — 16 of 512 bits (AVX-512 has 32 registers) or 12 of
    /// 256 bits (AVX2 has 16: sixteen chains plus the two operands would spill, and the "peak" came out below what
    /// GEMM reaches) — enough to cover any current core's FMA latency × throughput. The best of several short
    /// runs, since an interruption can only make a run slower than the hardware allows.
    /// </summary>
    /// <param name="single">Float lanes (twice as many per register) instead of double: the float32 peak.</param>
    public static double OneCore(bool single = false)
    {
        Func<long, double> chainsOf = single ? ChainsFloat : Chains;
        chainsOf(1000); // warm up
        const long iterations = 4_000_000;
        int lanes = (Vector512.IsHardwareAccelerated ? 8 : 4) * (single ? 2 : 1), chains = Vector512.IsHardwareAccelerated ? 16 : 12;
        double best = 0;
        for (int run = 0; run < 7; run++)
        {
            var sw = Stopwatch.StartNew();
            GC.KeepAlive(chainsOf(iterations));
            best = Math.Max(best, iterations * (double)chains * lanes * 2 / sw.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    /// <summary>GFLOP/s with every core running the same loop at once (best of three attempts).</summary>
    public static double AllCores(bool single = false)
    {
        int cores = Environment.ProcessorCount;
        double best = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var results = new double[cores];
            Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, t => results[t] = OneCore(single));
            best = Math.Max(best, results.Sum());
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Chains(long iterations) =>
        Vector512.IsHardwareAccelerated ? Chains512(iterations, 0.999999, 1e-9) : Chains256(iterations, 0.999999, 1e-9);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ChainsFloat(long iterations) =>
        Vector512.IsHardwareAccelerated ? Chains512(iterations, 0.999999f, 1e-9f) : Chains256(iterations, 0.999999f, 1e-9f);

    // Generic in the element (double or float: the same FMA units, twice the elements per instruction in float); the
    // type tests in Fma fold away when the loop is compiled for one of them.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Chains512<T>(long iterations, T factor, T addend) where T : unmanaged, INumber<T>
    {
        var m = Vector512.Create(factor); var a = Vector512.Create(addend);
        Vector512<T> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m;
        Vector512<T> c8 = m, c9 = m, c10 = m, c11 = m, c12 = m, c13 = m, c14 = m, c15 = m;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Fma(c0, m, a); c1 = Fma(c1, m, a); c2 = Fma(c2, m, a); c3 = Fma(c3, m, a);
            c4 = Fma(c4, m, a); c5 = Fma(c5, m, a); c6 = Fma(c6, m, a); c7 = Fma(c7, m, a);
            c8 = Fma(c8, m, a); c9 = Fma(c9, m, a); c10 = Fma(c10, m, a); c11 = Fma(c11, m, a);
            c12 = Fma(c12, m, a); c13 = Fma(c13, m, a); c14 = Fma(c14, m, a); c15 = Fma(c15, m, a);
        }
        return double.CreateTruncating(Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Chains256<T>(long iterations, T factor, T addend) where T : unmanaged, INumber<T>
    {
        var m = Vector256.Create(factor); var a = Vector256.Create(addend);
        Vector256<T> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Fma(c0, m, a); c1 = Fma(c1, m, a); c2 = Fma(c2, m, a); c3 = Fma(c3, m, a);
            c4 = Fma(c4, m, a); c5 = Fma(c5, m, a); c6 = Fma(c6, m, a); c7 = Fma(c7, m, a);
            c8 = Fma(c8, m, a); c9 = Fma(c9, m, a); c10 = Fma(c10, m, a); c11 = Fma(c11, m, a);
        }
        return double.CreateTruncating(Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z) where T : unmanaged =>
        typeof(T) == typeof(double) ? Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>()
        : Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z) where T : unmanaged =>
        typeof(T) == typeof(double) ? Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>()
        : Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
}
