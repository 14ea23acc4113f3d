using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>The shared core: e^r − 1 for |r| ≤ ln2/2 and the range reduction x = k·ln 2 + r.</summary>
internal static class ExpCore
{
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 0.693147180369123816490;      // ln 2 split so that k·Ln2Hi is exact
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double Ln2HiSingle = 0.693145751953125;          // the float split: 16 significant bits, k·Ln2Hi exact for |k| ≤ 256
    private const double Ln2LoSingle = 1.428606765330187045e-06;

    /// <summary>Splits x into k (integral) and r = x − k·ln 2, |r| ≤ ln2/2, exactly enough for a few-ulp result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (T K, T R) Reduce<T>(T x) where T : struct, ILanes<T>
    {
        var k = T.Round(x * T.Splat(Log2E));
        var r = T.IsSingle ? T.Fma(k, T.Splat(-Ln2LoSingle), T.Fma(k, T.Splat(-Ln2HiSingle), x))
            : T.Fma(k, T.Splat(-Ln2Lo), T.Fma(k, T.Splat(-Ln2Hi), x));
        return (k, r);
    }

    /// <summary>
    /// e^r − 1 = r·(1 + r/2 + r²/6 + … + r¹²/13!), the Taylor polynomial (truncation below 1e−17 for |r| ≤ ln2/2);
    /// for float lanes it stops at r⁷/8! (truncation below 1e−9, a sixtieth of a float's unit roundoff).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpM1Reduced<T>(T r) where T : struct, ILanes<T>
    {
        T p;
        if (T.IsSingle) p = T.Splat(1.0 / 40320.0);                   // 1/8!
        else
        {
            p = T.Splat(1.0 / 6227020800.0);                          // 1/13!
            p = T.Fma(p, r, T.Splat(1.0 / 479001600.0));
            p = T.Fma(p, r, T.Splat(1.0 / 39916800.0));
            p = T.Fma(p, r, T.Splat(1.0 / 3628800.0));
            p = T.Fma(p, r, T.Splat(1.0 / 362880.0));
            p = T.Fma(p, r, T.Splat(1.0 / 40320.0));
        }
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
