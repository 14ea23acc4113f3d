using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>The shared core: the range reduction x = k·ln 2 + r, and e^r (or e^r − 1) for |r| ≤ ln2/2.</summary>
internal static class ExpCore
{
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 0.693147180369123816490;      // ln 2 split so that k·Ln2Hi is exact
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double Ln2HiSingle = 0.693145751953125;          // the float split: 16 significant bits, k·Ln2Hi exact for |k| ≤ 256
    private const double Ln2LoSingle = 1.428606765330187045e-06;

    /// <summary>
    /// Splits x into k (integral) and r = x − k·ln 2, |r| ≤ ln2/2, exactly enough for a few-ulp result. k comes from one
    /// fused multiply-add that rounds x·log₂e to an integer by adding <see cref="LaneBits.Shifter"/>: that sum,
    /// <c>Biased</c>, gives 2^k by <see cref="ILanes{T}.Pow2Biased"/> (no rounding instruction, no second add).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (T Biased, T K, T R) Reduce<T>(T x) where T : struct, ILanes<T>
    {
        var shifter = T.Splat(T.IsSingle ? LaneBits.ShifterSingle : LaneBits.Shifter);
        var biased = T.Fma(x, T.Splat(Log2E), shifter);
        var k = biased - shifter;
        var r = T.IsSingle ? T.Fma(k, T.Splat(-Ln2LoSingle), T.Fma(k, T.Splat(-Ln2HiSingle), x))
            : T.Fma(k, T.Splat(-Ln2Lo), T.Fma(k, T.Splat(-Ln2Hi), x));
        return (biased, k, r);
    }

    /// <summary>
    /// e^r = 1 + r·(1 + r/2 + … + r¹²/13!), the Taylor polynomial (truncation below 1e−17 for |r| ≤ ln2/2), the last
    /// step a fused r·p + 1; for float lanes it stops at r⁸/8! (truncation below 1e−9, a sixtieth of a float's unit
    /// roundoff).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpReduced<T>(T r) where T : struct, ILanes<T> => T.Fma(Series(r), r, T.Splat(1.0));

    /// <summary>
    /// e^r − 1 = r·(1 + r/2 + r²/6 + … + r¹²/13!), the same polynomial without its constant term, so that nothing
    /// cancels for small r (tanh near 0). By one Horner chain, whose last step 1 + r·(1/2 + …) rounds once: the split
    /// of <see cref="Series{T}"/> rounds 1 + r²/6 first, which cost tanh its exact tanh x = x for tiny x.
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

    /// <summary>
    /// 1 + r/2 + r²/6 + … + r¹²/13! (float: to r⁷/8!), as its even and odd parts in r², two Horner chains of half the
    /// length that run side by side (a single chain waits on each fused multiply-add in turn).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Series<T>(T r) where T : struct, ILanes<T>
    {
        var r2 = r * r;
        T even, odd;
        if (T.IsSingle)
        {
            even = T.Fma(T.Splat(1.0 / 5040.0), r2, T.Splat(1.0 / 120.0));            // 1/7!, 1/5!
            odd = T.Fma(T.Splat(1.0 / 40320.0), r2, T.Splat(1.0 / 720.0));            // 1/8!, 1/6!
        }
        else
        {
            even = T.Fma(T.Splat(1.0 / 6227020800.0), r2, T.Splat(1.0 / 39916800.0));   // 1/13!, 1/11!
            odd = T.Fma(T.Splat(1.0 / 479001600.0), r2, T.Splat(1.0 / 3628800.0));     // 1/12!, 1/10!
            even = T.Fma(even, r2, T.Splat(1.0 / 362880.0));
            odd = T.Fma(odd, r2, T.Splat(1.0 / 40320.0));
            even = T.Fma(even, r2, T.Splat(1.0 / 5040.0));
            odd = T.Fma(odd, r2, T.Splat(1.0 / 720.0));
            even = T.Fma(even, r2, T.Splat(1.0 / 120.0));
        }
        odd = T.Fma(odd, r2, T.Splat(1.0 / 24.0));
        even = T.Fma(even, r2, T.Splat(1.0 / 6.0));
        odd = T.Fma(odd, r2, T.Splat(0.5));
        even = T.Fma(even, r2, T.Splat(1.0));
        return T.Fma(odd, r, even);
    }
}
