using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>One lane: the scalar tail of every kernel, computing exactly what a vector lane computes.</summary>
internal readonly struct Lane1(double v) : ILanes<Lane1>, ILanesOf<Lane1, double>
{
    public readonly double Value = v;
    public static bool IsSingle => false;
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lane1 Load(double* p) => new(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(double* p) => *p = Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Load(ReadOnlySpan<double> s) => new(s[0]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<double> d) => d[0] = Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Splat(double value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Broadcast(double value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator +(Lane1 a, Lane1 b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator -(Lane1 a, Lane1 b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator *(Lane1 a, Lane1 b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator /(Lane1 a, Lane1 b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Fma(Lane1 a, Lane1 b, Lane1 c) => new(Math.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    // Kernels never pass NaN to Min/Max (KeepNaN restores it), so the vector and scalar NaN rules need not agree.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Min(Lane1 a, Lane1 b) => new(a.Value < b.Value ? a.Value : b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Max(Lane1 a, Lane1 b) => new(a.Value > b.Value ? a.Value : b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Abs(Lane1 a) => new(Math.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Round(Lane1 a) => new(Math.Round(a.Value, MidpointRounding.ToEven));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Pow2(Lane1 k) => new(BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(k.Value + LaneBits.ExponentBias) << 52));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Pow2Biased(Lane1 b) => new(BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(b.Value) << 52));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Normalize(Lane1 x, out Lane1 k)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(x.Value), top = (bits + LaneBits.SqrtHalfOffset) >> 52;
        k = new(BitConverter.UInt64BitsToDouble(LaneBits.TwoTo52 | top) - LaneBits.ExponentBias);
        return new(BitConverter.UInt64BitsToDouble(bits - (top << 52) + LaneBits.One));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBelow(Lane1 a, Lane1 bound) => a.Value < bound.Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 CopySign(Lane1 m, Lane1 s) => new(Math.CopySign(m.Value, s.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 IfGreater(Lane1 a, Lane1 b, Lane1 t, Lane1 f) => a.Value > b.Value ? t : f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 KeepNaN(Lane1 x, Lane1 r) => double.IsNaN(x.Value) ? x : r;
}
