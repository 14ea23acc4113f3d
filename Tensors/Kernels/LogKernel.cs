using System.Runtime.CompilerServices;

namespace GraphDiff.Kernels;

/// <summary>
/// ln x, in double or float lanes: x = 2^k·m, m in [√½, √2), then <see cref="LogCore"/> on f = m − 1 (exact). A
/// register with a lane that is not a positive normal number (0, a subnormal, a negative, ∞, NaN) takes
/// <see cref="Edges{T}"/>, which gives the same bits for the normal lanes.
/// </summary>
internal readonly struct LogKernel : IUnaryKernel
{
    private const double MinNormal = 2.2250738585072014E-308, MinNormalSingle = 1.1754943508222875E-38;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T>(T x) where T : struct, ILanes<T>
    {
        if (!(T.AllBelow(T.Splat(T.IsSingle ? MinNormalSingle : MinNormal), x) & T.AllBelow(x, T.Splat(double.PositiveInfinity)))) return Edges(x);
        var m = T.Normalize(x, out var k);
        return LogCore.Log1pReduced(m - T.Splat(1.0), k);
    }

    /// <summary>Subnormals scaled into the normal range first (by 2^54, float 2^24); then ln 0 = −∞, ln ∞ = ∞, below 0 NaN, NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Edges<T>(T x) where T : struct, ILanes<T>
    {
        var minNormal = T.Splat(T.IsSingle ? MinNormalSingle : MinNormal);
        var scale = T.IfGreater(minNormal, x, T.Splat(T.IsSingle ? 16777216.0 : 18014398509481984.0), T.Splat(1.0));
        var m = T.Normalize(x * scale, out var k);
        var y = LogCore.Log1pReduced(m - T.Splat(1.0), k - T.IfGreater(minNormal, x, T.Splat(T.IsSingle ? 24.0 : 54.0), T.Splat(0.0)));
        y = T.IfGreater(x, T.Splat(T.IsSingle ? float.MaxValue : double.MaxValue), x, y);
        y = T.IfGreater(T.Splat(0.0), x, T.Splat(double.NaN), y);
        y = T.IfGreater(T.Splat(T.IsSingle ? float.Epsilon : double.Epsilon), T.Abs(x), T.Splat(double.NegativeInfinity), y);
        return T.KeepNaN(x, y);
    }
}
