using System.Runtime.CompilerServices;

namespace GraphDiff.Kernels;

/// <summary>
/// log(1 + f) + k·ln 2 for f in [√½ − 1, ½] and integral k: the logarithm's core, shared by ln x (x = 2^k·(1 + f)) and
/// softplus (log(1 + e) for e = e^−|x| in (0, 1]). With s = f/(2 + f), log(1 + f) = 2·atanh s = 2s + s·R(s²), R(z) =
/// Σ 2z^j/(2j + 1) = z·P(z), written f − (f²/2 − s·(f²/2 + R)) so that the one large term, f, is added last and exactly.
/// |s| ≤ ⅕, z ≤ 0.04: P is the minimax polynomial of degree 7 on [0, 0.04] (float: 3), within 2.5e−17 of P (4e−9), which
/// moves the result by less than 1e−18 of itself (float 1e−10).
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
        // s·(f²/2 + z·P) + k·ln2_lo with everything but the last product ready before P is: the chain after the
        // division is the polynomial and four steps, not six.
        var early = T.Fma(s, halfSquare, k * T.Splat(T.IsSingle ? Ln2LoSingle : Ln2Lo));
        var tail = T.Fma(s * z, Atanh(z), early);
        return T.Fma(k, T.Splat(T.IsSingle ? Ln2HiSingle : Ln2Hi), f - (halfSquare - tail));
    }

    /// <summary>
    /// P(z) = (2·atanh(√z)/√z − 2)/z = 2/3 + 2z/5 + 2z²/7 + …: the minimax polynomial on [0, 0.04] (computed by the Remez
    /// exchange in 60-digit arithmetic).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Atanh<T>(T z) where T : struct, ILanes<T>
    {
        if (T.IsSingle)
        {
            var q = T.Fma(T.Splat(0.23750764188257983), z, T.Splat(0.28532539744831624));
            q = T.Fma(q, z, T.Splat(0.40000314322208224));
            return T.Fma(q, z, T.Splat(0.66666666270382029));
        }
        // Its lower and upper halves side by side (two Horner chains of three steps), joined by z⁴.
        var z2 = z * z;
        var low = T.Fma(T.Splat(0.22222223044535310), z, T.Splat(0.28571428567294368));
        var high = T.Fma(T.Splat(0.13606308214318089), z, T.Splat(0.13210039640467273));
        low = T.Fma(low, z, T.Splat(0.40000000000007913));
        high = T.Fma(high, z, T.Splat(0.15388852317349554));
        low = T.Fma(low, z, T.Splat(0.66666666666666664));
        high = T.Fma(high, z, T.Splat(0.18181737973870513));
        return T.Fma(high, z2 * z2, low);
    }
}
