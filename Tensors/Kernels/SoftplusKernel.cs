using System.Runtime.CompilerServices;

namespace GraphDiff.Kernels;

/// <summary>
/// softplus(x) = max(x, 0) + log(1 + e) for x and e = e^−|x| (<see cref="ExpNegativeAbsKernel"/>, a pass of its own:
/// one loop of both was too large for the JIT to inline whole, and it called its arithmetic). Finite for every finite
/// x, NaN for NaN.
/// </summary>
internal readonly struct SoftplusKernel : IBinaryKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x, T e) where T : struct, ILanes<T> => T.Max(x, T.Splat(0.0)) + Log1pKernel.Apply(x, e);
}

/// <summary>e^−|x|, in (0, 1] (0 where it underflows), NaN for NaN: what softplus takes the logarithm of, plus one.</summary>
internal readonly struct ExpNegativeAbsKernel : IUnaryKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x) where T : struct, ILanes<T> => ExpKernel.Apply(T.Splat(0.0) - T.Abs(x));
}

/// <summary>
/// log(1 + e) for e in [0, 1] (x unused): <see cref="LogCore"/> on f = e (k = 0) below ½, and on f = (e − 1)/2
/// (k = 1: 1 + e = 2·(1 + f)) from ½ up, where e − 1 is exact. No 1 + e is ever rounded, so a tiny e keeps all its
/// digits (log(1 + e^−700) is 1e−304, not 0). NaN stays NaN.
/// </summary>
internal readonly struct Log1pKernel : IBinaryKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x, T e) where T : struct, ILanes<T>
    {
        var half = T.Splat(0.5);
        var k = T.IfGreater(e, half, T.Splat(1.0), T.Splat(0.0));
        var f = T.Fma(e, T.IfGreater(e, half, half, T.Splat(1.0)), T.IfGreater(e, half, T.Splat(-0.5), T.Splat(0.0)));
        return LogCore.Log1pReduced(f, k);
    }
}
