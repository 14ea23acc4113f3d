using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>e^x, in double or float lanes; 2^k applied in two halves so that subnormal results and overflow come out right.</summary>
internal readonly struct ExpKernel : IUnaryKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x) where T : struct, ILanes<T>
    {
        // Past these e^x is 0 or ∞ (float: below −104, above 89), and 2^k stays within what Pow2 builds in two halves.
        var (k, r) = T.IsSingle ? ExpCore.Reduce(T.Min(T.Max(x, T.Splat(-104.0)), T.Splat(89.0)))
            : ExpCore.Reduce(T.Min(T.Max(x, T.Splat(-746.0)), T.Splat(710.0)));
        var half = T.Round(k * T.Splat(0.5) - T.Splat(0.25));            // ⌊k/2⌋ for integral k
        return T.KeepNaN(x, (ExpCore.ExpM1Reduced(r) + T.Splat(1.0)) * T.Pow2(half) * T.Pow2(k - half));
    }
}
