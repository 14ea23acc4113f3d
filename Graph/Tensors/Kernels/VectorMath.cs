using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>
/// Vectorised transcendental kernels, written once over <see cref="ILanes{T}"/> and run with 512-bit lanes where
/// AVX-512 is available, 256-bit lanes on AVX2, and the same algorithm one lane at a time for the tail, so that
/// an element's result is identical whatever the array's length. (<c>TensorPrimitives.Exp&lt;double&gt;</c> ran at
/// scalar speed here, and its tanh loses accuracy near 0.)
/// </summary>
internal static class VectorMath
{
    /// <summary>y[i] = e^x[i], within 2 ulps of <see cref="Math.Exp"/>; overflows to +∞ above ~709.78, underflows to 0 below ~−745.1, NaN stays NaN.</summary>
    public static void Exp(ReadOnlySpan<double> x, Span<double> y) => Map<ExpKernel>(x, y);

    /// <summary>y[i] = 1 / (1 + e^(−x[i])), finite for every finite x.</summary>
    public static void Sigmoid(ReadOnlySpan<double> x, Span<double> y) => Map<SigmoidKernel>(x, y);

    /// <summary>
    /// y[i] = tanh x[i], accurate to a few ulps at every magnitude (tanh x = x for tiny x, the sign of −0 kept),
    /// computed as e/(e + 2) with e = expm1(2|x|) so that nothing cancels near 0.
    /// </summary>
    public static void Tanh(ReadOnlySpan<double> x, Span<double> y) => Map<TanhKernel>(x, y);

    /// <summary>y[i] = 1 where x[i] &gt; 0, 0 where x[i] ≤ 0, NaN where x[i] is NaN (so a NaN is never masked into a 0 gradient).</summary>
    public static void Step(ReadOnlySpan<double> x, Span<double> y) => Map<StepKernel>(x, y);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Map<TKernel>(ReadOnlySpan<double> x, Span<double> y) where TKernel : IUnaryKernel
    {
        if (y.Length < x.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(y));
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= x.Length - Lanes512.Count; i += Lanes512.Count) TKernel.Apply(Lanes512.Load(x[i..])).Store(y[i..]);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= x.Length - Lanes256.Count; i += Lanes256.Count) TKernel.Apply(Lanes256.Load(x[i..])).Store(y[i..]);
        for (; i < x.Length; i++) y[i] = TKernel.Apply(new Lane1(x[i])).Value;
    }

    /// <summary>Runs <typeparamref name="TKernel"/> one lane at a time, to test that the vector paths agree with it bit for bit.</summary>
    internal static void MapOneLane<TKernel>(ReadOnlySpan<double> x, Span<double> y) where TKernel : IUnaryKernel
    {
        for (int i = 0; i < x.Length; i++) y[i] = TKernel.Apply(new Lane1(x[i])).Value;
    }
}

/// <summary>An elementwise function written against <see cref="ILanes{T}"/>.</summary>
internal interface IUnaryKernel
{
    static abstract T Apply<T>(T x) where T : struct, ILanes<T>;
}

/// <summary>The shared core: e^r − 1 for |r| ≤ ln2/2 and the range reduction x = k·ln 2 + r.</summary>
internal static class ExpCore
{
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 0.693147180369123816490;      // ln 2 split so that k·Ln2Hi is exact
    private const double Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>Splits x into k (integral) and r = x − k·ln 2, |r| ≤ ln2/2, exactly enough for a few-ulp result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (T K, T R) Reduce<T>(T x) where T : struct, ILanes<T>
    {
        var k = T.Round(x * T.Splat(Log2E));
        var r = T.Fma(k, T.Splat(-Ln2Lo), T.Fma(k, T.Splat(-Ln2Hi), x));
        return (k, r);
    }

    /// <summary>e^r − 1 = r·(1 + r/2 + r²/6 + … + r¹²/13!), the Taylor polynomial (truncation below 1e−17 for |r| ≤ ln2/2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpM1Reduced<T>(T r) where T : struct, ILanes<T>
    {
        var p = T.Splat(1.0 / 6227020800.0);                          // 1/13!
        p = T.Fma(p, r, T.Splat(1.0 / 479001600.0));
        p = T.Fma(p, r, T.Splat(1.0 / 39916800.0));
        p = T.Fma(p, r, T.Splat(1.0 / 3628800.0));
        p = T.Fma(p, r, T.Splat(1.0 / 362880.0));
        p = T.Fma(p, r, T.Splat(1.0 / 40320.0));
        p = T.Fma(p, r, T.Splat(1.0 / 5040.0));
        p = T.Fma(p, r, T.Splat(1.0 / 720.0));
        p = T.Fma(p, r, T.Splat(1.0 / 120.0));
        p = T.Fma(p, r, T.Splat(1.0 / 24.0));
        p = T.Fma(p, r, T.Splat(1.0 / 6.0));
        p = T.Fma(p, r, T.Splat(0.5));
        p = T.Fma(p, r, T.Splat(1.0));
        return p * r;
    }
}

/// <summary>e^x; 2^k applied in two halves so that subnormal results and overflow come out right.</summary>
internal readonly struct ExpKernel : IUnaryKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x) where T : struct, ILanes<T>
    {
        var clamped = T.Min(T.Max(x, T.Splat(-746.0)), T.Splat(710.0));
        var (k, r) = ExpCore.Reduce(clamped);
        var p = ExpCore.ExpM1Reduced(r) + T.Splat(1.0);
        var half = T.Round(k * T.Splat(0.5) - T.Splat(0.25));            // ⌊k/2⌋ for integral k
        var result = p * T.Pow2(half) * T.Pow2(k - half);
        return T.KeepNaN(x, result);
    }
}

/// <summary>σ(x) = 1 / (1 + e^(−x)).</summary>
internal readonly struct SigmoidKernel : IUnaryKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x) where T : struct, ILanes<T>
    {
        var one = T.Splat(1.0);
        return one / (one + ExpKernel.Apply(T.Splat(0.0) - x));
    }
}

/// <summary>
/// tanh|x| = e/(e + 2) with e = e^(2|x|) − 1 = 2^k·(e^r − 1) + (2^k − 1): every term is non-negative for
/// k ≥ 1 and e = e^r − 1 exactly when k = 0, so there is no cancellation at any magnitude. |x| is capped at 20,
/// where tanh rounds to 1.
/// </summary>
internal readonly struct TanhKernel : IUnaryKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x) where T : struct, ILanes<T>
    {
        var u = T.Min(T.Abs(x), T.Splat(20.0));
        u = u + u;
        var (k, r) = ExpCore.Reduce(u);
        var scale = T.Pow2(k);
        var e = T.Fma(scale, ExpCore.ExpM1Reduced(r), scale - T.Splat(1.0));
        var t = e / (e + T.Splat(2.0));
        return T.KeepNaN(x, T.CopySign(t, x));
    }
}

/// <summary>[x &gt; 0], with NaN kept.</summary>
internal readonly struct StepKernel : IUnaryKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x) where T : struct, ILanes<T> =>
        T.KeepNaN(x, T.IfGreater(x, T.Splat(0.0), T.Splat(1.0), T.Splat(0.0)));
}
