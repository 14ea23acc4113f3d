using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

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
        var (biased, _, r) = ExpCore.Reduce(T.Min(T.Abs(x), T.Splat(20.0)) * T.Splat(2.0));   // doubling is exact
        var scale = T.Pow2Biased(biased);
        var e = T.Fma(scale, ExpCore.ExpM1Reduced(r), scale - T.Splat(1.0));
        return T.KeepNaN(x, T.CopySign(e / (e + T.Splat(2.0)), x));
    }
}
