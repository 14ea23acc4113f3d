using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>[x &gt; 0], with NaN kept.</summary>
internal readonly struct StepKernel : IUnaryKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x) where T : struct, ILanes<T> =>
        T.KeepNaN(x, T.IfGreater(x, T.Splat(0.0), T.Splat(1.0), T.Splat(0.0)));
}
