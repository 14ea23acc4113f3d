using System.Numerics.Tensors;

namespace GraphDiff.Kernels;

/// <summary>
/// log(1 + e^−|x|), the part of softplus(x) = max(x, 0) + log(1 + e^−|x|) that needs a logarithm, vectorised: e = e^−|x|
/// by the library's exp kernel; then log1p(e) = log(u)·e/(u − 1) with u = 1 + e (Goldberg's identity: u − 1 is exact)
/// for e ≥ 1e−3, and the series e − e²/2 + … + e⁶/6 below, where a logarithm of a number so near 1 would lose
/// digits. Every element takes the same path wherever it falls in the array (the logarithms are taken over whole
/// registers, padded with ones), so its bits never depend on the array's length. NaN stays NaN.
/// </summary>
internal static class SoftplusKernel
{
    private const int Chunk = 256;          // scratch on the stack, in blocks; a multiple of every register width
    private const double SeriesBelow = 1e-3;

    public static void Log1pExpNegativeAbs(ReadOnlySpan<double> x, Span<double> result)
    {
        Span<double> e = stackalloc double[Chunk], u = stackalloc double[Chunk], log = stackalloc double[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            Block(x.Slice(start, n), result.Slice(start, n), e, u, log);
        }
    }

    /// <summary>y = softplus(x) = max(x, 0) + log(1 + e^−|x|): finite for every finite x. y may be x (in place).</summary>
    public static void Softplus(ReadOnlySpan<double> x, Span<double> y)
    {
        Span<double> e = stackalloc double[Chunk], u = stackalloc double[Chunk], log = stackalloc double[Chunk], positive = stackalloc double[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            var xs = x.Slice(start, n);
            var ys = y.Slice(start, n);
            // max(x, 0) kept aside first: in place, the logarithms overwrite x.
            for (int i = 0; i < n; i++) positive[i] = Math.Max(xs[i], 0);
            Block(xs, ys, e, u, log);
            for (int i = 0; i < n; i++) ys[i] = positive[i] + ys[i];
        }
    }

    /// <summary>One block of at most <see cref="Chunk"/> elements; x is read in full before rs is written, so rs may be x.</summary>
    private static void Block(ReadOnlySpan<double> xs, Span<double> rs, Span<double> e, Span<double> u, Span<double> log)
    {
        int n = xs.Length, padded = (n + 7) & ~7;
        var es = e[..n];
        TensorPrimitives.Abs(xs, es);
        TensorPrimitives.Negate(es, es);
        VectorMath.Exp(es, es);                   // e = e^−|x| in (0, 1]
        TensorPrimitives.Add(es, 1.0, u[..n]);            // u = 1 + e, rounded
        u[n..padded].Fill(1.0);
        TensorPrimitives.Log(u[..padded], log[..padded]);
        for (int i = 0; i < n; i++)
        {
            double ei = es[i];
            rs[i] = ei < SeriesBelow
                ? ei * (1 - ei * (0.5 - ei * (1.0 / 3 - ei * (0.25 - ei * (0.2 - ei / 6)))))
                : log[i] * (ei / (u[i] - 1));
        }
    }
}
