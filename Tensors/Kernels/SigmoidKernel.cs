using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>σ(x) = 1 / (1 + e^(−x)).</summary>
internal readonly struct SigmoidKernel : IUnaryKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x) where T : struct, ILanes<T> => T.Splat(1.0) / (T.Splat(1.0) + ExpKernel.Apply(T.Splat(0.0) - x));
}
