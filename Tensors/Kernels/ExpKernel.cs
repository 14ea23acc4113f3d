using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>
/// e^x, in double or float lanes. Where every lane is well inside the range (|x| below 707, float 86) the result
/// is e^r·2^k, normal, one product; a register with a lane beyond (overflow, a subnormal result, ±∞, NaN) takes
/// <see cref="Edges{T}"/>, which applies 2^k in two halves and gives the same bits for the lanes inside.
/// </summary>
internal readonly struct ExpKernel : IUnaryKernel
{
    /// <summary>Below these |x|, |k| ≤ 1020 (float: 124): 2^k and e^r·2^k are normal numbers.</summary>
    public const double FastBelow = 707, FastBelowSingle = 86;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x) where T : struct, ILanes<T>
    {
        if (!T.AllBelow(T.Abs(x), T.Splat(T.IsSingle ? FastBelowSingle : FastBelow))) return Edges(x);
        var (biased, _, r) = ExpCore.Reduce(x);
        return ExpCore.ExpReduced(r) * T.Pow2Biased(biased);
    }

    /// <summary>
    /// The whole range: x clamped to where e^x is 0 or ∞ anyway (float: below −104, above 89), 2^k applied in two
    /// halves so that a subnormal result is rounded once and overflow comes out ∞; NaN stays NaN. Out of line: rare,
    /// and the loop's registers stay the fast path's.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Edges<T>(T x) where T : struct, ILanes<T>
    {
        var (_, k, r) = T.IsSingle ? ExpCore.Reduce(T.Min(T.Max(x, T.Splat(-104.0)), T.Splat(89.0)))
            : ExpCore.Reduce(T.Min(T.Max(x, T.Splat(-746.0)), T.Splat(710.0)));
        var half = T.Round(k * T.Splat(0.5) - T.Splat(0.25));            // ⌊k/2⌋ for integral k
        return T.KeepNaN(x, ExpCore.ExpReduced(r) * T.Pow2(half) * T.Pow2(k - half));
    }
}
