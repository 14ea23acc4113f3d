using System.Runtime.CompilerServices;

namespace GraphDiff.Kernels;

/// <summary>
/// log(1 + f) + k·ln 2 for f in [√½ − 1, ½] and integral k: the logarithm's core, shared by ln x (x = 2^k·(1 + f)) and
/// softplus (log(1 + e) for e = e^−|x| in (0, 1]). With s = f/(2 + f), log(1 + f) = 2·atanh s = 2s + s·R(s²), R(z) =
/// Σ 2z^j/(2j + 1), written f − (f²/2 − s·(f²/2 + R)) so that the one large term, f, is added last and exactly; |s| ≤ ⅕,
/// so ten terms of R (float: five) leave a truncation below a sixth of an ulp.
/// </summary>
internal static class LogCore
{
    private const double Ln2Hi = 0.693147180369123816490;      // ln 2 split so that k·Ln2Hi is exact (float: for |k| ≤ 256)
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double Ln2HiSingle = 0.693145751953125;
    private const double Ln2LoSingle = 1.428606765330187045e-06;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log1pReduced<T>(T f, T k) where T : struct, ILanes<T>
    {
        var s = f / (T.Splat(2.0) + f);
        var z = s * s;
        var halfSquare = T.Splat(0.5) * f * f;
        var tail = T.Fma(s, halfSquare + z * Atanh(z), k * T.Splat(T.IsSingle ? Ln2LoSingle : Ln2Lo));
        return T.Fma(k, T.Splat(T.IsSingle ? Ln2HiSingle : Ln2Hi), f - (halfSquare - tail));
    }

    /// <summary>Σ 2z^j/(2j + 3) for j = 0 … 9 (float: … 4): 2/3 + 2z/5 + …, by Horner's rule (split in halves it spilled registers, and ran no faster).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Atanh<T>(T z) where T : struct, ILanes<T>
    {
        T p;
        if (T.IsSingle) p = T.Splat(2.0 / 11);
        else
        {
            p = T.Splat(2.0 / 21);
            p = T.Fma(p, z, T.Splat(2.0 / 19));
            p = T.Fma(p, z, T.Splat(2.0 / 17));
            p = T.Fma(p, z, T.Splat(2.0 / 15));
            p = T.Fma(p, z, T.Splat(2.0 / 13));
            p = T.Fma(p, z, T.Splat(2.0 / 11));
        }
        p = T.Fma(p, z, T.Splat(2.0 / 9));
        p = T.Fma(p, z, T.Splat(2.0 / 7));
        p = T.Fma(p, z, T.Splat(2.0 / 5));
        return T.Fma(p, z, T.Splat(2.0 / 3));
    }
}
