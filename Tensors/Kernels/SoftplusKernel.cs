using System.Runtime.InteropServices;
using System.Numerics;
using System.Numerics.Tensors;

namespace GraphDiff.Kernels;

/// <summary>
/// log(1 + e^−|x|), the part of softplus(x) = max(x, 0) + log(1 + e^−|x|) that needs a logarithm, vectorised: e = e^−|x|
/// by the library's exp kernel; then log1p(e) = log(u)·e/(u − 1) with u = 1 + e (Goldberg's identity: u − 1 is exact)
/// for e ≥ 1e−3, and the series e − e²/2 + … + e⁶/6 below, where a logarithm of a number so near 1 would lose
/// digits. Every element takes the same path wherever it falls in the array (the logarithms are taken over whole
/// registers, padded with ones), so its bits never depend on the array's length. NaN stays NaN. Generic in the element:
/// double, or float for float32 training.
/// </summary>
internal static class SoftplusKernel
{
    private const int Chunk = 256;          // scratch on the stack, in blocks; a multiple of every register width
    private const double SeriesBelow = 1e-3;

    public static void Log1pExpNegativeAbs<T>(ReadOnlySpan<T> x, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> e = stackalloc T[Chunk], u = stackalloc T[Chunk], log = stackalloc T[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            Block(x.Slice(start, n), result.Slice(start, n), e, u, log);
        }
    }

    /// <summary>y = softplus(x) = max(x, 0) + log(1 + e^−|x|): finite for every finite x. y may be x (in place).</summary>
    public static void Softplus<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> e = stackalloc T[Chunk], u = stackalloc T[Chunk], log = stackalloc T[Chunk], positive = stackalloc T[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            var xs = x.Slice(start, n);
            var ys = y.Slice(start, n);
            // max(x, 0) kept aside first: in place, the logarithms overwrite x.
            for (int i = 0; i < n; i++) positive[i] = T.Max(xs[i], T.Zero);
            Block(xs, ys, e, u, log);
            for (int i = 0; i < n; i++) ys[i] = positive[i] + ys[i];
        }
    }

    /// <summary>One block of at most <see cref="Chunk"/> elements; x is read in full before rs is written, so rs may be x.</summary>
    private static void Block<T>(ReadOnlySpan<T> xs, Span<T> rs, Span<T> e, Span<T> u, Span<T> log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = xs.Length, padded = (n + 7) & ~7;
        var es = e[..n];
        TensorPrimitives.Abs(xs, es);
        TensorPrimitives.Negate(es, es);
        Exp(es);                                  // e = e^−|x| in (0, 1]
        TensorPrimitives.Add(es, T.One, u[..n]);          // u = 1 + e, rounded
        u[n..padded].Fill(T.One);
        TensorPrimitives.Log(u[..padded], log[..padded]);
        T seriesBelow = T.CreateTruncating(SeriesBelow), half = T.CreateTruncating(0.5), third = T.CreateTruncating(1.0 / 3);
        T quarter = T.CreateTruncating(0.25), fifth = T.CreateTruncating(0.2), six = T.CreateTruncating(6.0);
        for (int i = 0; i < n; i++)
        {
            T ei = es[i];
            rs[i] = ei < seriesBelow
                ? ei * (T.One - ei * (half - ei * (third - ei * (quarter - ei * (fifth - ei / six)))))
                : log[i] * (ei / (u[i] - T.One));
        }
    }

    /// <summary>e^x in place, by the library's double or float kernel.</summary>
    private static void Exp<T>(Span<T> x) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) VectorMath.Exp(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(x));
        else VectorMath.Exp(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(x));
    }
}
