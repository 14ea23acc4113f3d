using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>
/// The arithmetic a vectorised elementwise kernel needs, over one register width. A kernel written once against
/// this interface runs on 512-bit, 256-bit (AVX2) and single lanes; every operation rounds the same way at every
/// width (fused multiply-add included), so an element's result never depends on the array's size or on where
/// the element falls (vector body or scalar tail).
/// </summary>
internal interface ILanes<T> where T : struct, ILanes<T>
{
    /// <summary>Elements per register.</summary>
    static abstract int Count { get; }
    static abstract T Load(ReadOnlySpan<double> source);
    void Store(Span<double> destination);
    static abstract T Splat(double value);
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator *(T a, T b);
    static abstract T operator /(T a, T b);
    /// <summary>a·b + c with one rounding.</summary>
    static abstract T Fma(T a, T b, T c);
    static abstract T Min(T a, T b);
    static abstract T Max(T a, T b);
    static abstract T Abs(T a);
    /// <summary>Round to the nearest integer, ties to even.</summary>
    static abstract T Round(T a);
    /// <summary>2^k for integral k in [−1022, 1023], built from the exponent bits.</summary>
    static abstract T Pow2(T k);
    /// <summary>|magnitude| with the sign of <paramref name="sign"/>.</summary>
    static abstract T CopySign(T magnitude, T sign);
    /// <summary><paramref name="whenGreater"/> where a &gt; b, else <paramref name="otherwise"/> (NaN compares false).</summary>
    static abstract T IfGreater(T a, T b, T whenGreater, T otherwise);
    /// <summary><paramref name="x"/> where it is NaN, else <paramref name="result"/>: NaN in, NaN out.</summary>
    static abstract T KeepNaN(T x, T result);
}

/// <summary>Shared constants of <see cref="ILanes{T}"/> implementations.</summary>
internal static class LaneBits
{
    /// <summary>2^52 + 1023: adding it to an integral k leaves k + 1023 in the low mantissa bits, ready to shift into the exponent.</summary>
    public const double ExponentBias = 4503599627371519.0;
    public const ulong SignMask = 0x8000_0000_0000_0000UL;
}

internal readonly struct Lanes512(Vector512<double> v) : ILanes<Lanes512>
{
    private readonly Vector512<double> v = v;
    public static int Count => Vector512<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Load(ReadOnlySpan<double> s) => new(Vector512.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<double> d) => v.CopyTo(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Splat(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator *(Lanes512 a, Lanes512 b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator /(Lanes512 a, Lanes512 b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Fma(Lanes512 a, Lanes512 b, Lanes512 c) => new(Vector512.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Min(Lanes512 a, Lanes512 b) => new(Vector512.Min(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Max(Lanes512 a, Lanes512 b) => new(Vector512.Max(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Abs(Lanes512 a) => new(Vector512.Abs(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Round(Lanes512 a) => new(Vector512.Round(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Pow2(Lanes512 k) => new(Vector512.ShiftLeft((k.v + Vector512.Create(LaneBits.ExponentBias)).AsUInt64(), 52).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 CopySign(Lanes512 m, Lanes512 s) => new(Vector512.ConditionalSelect(Vector512.Create(LaneBits.SignMask).AsDouble(), s.v, m.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 IfGreater(Lanes512 a, Lanes512 b, Lanes512 t, Lanes512 f) => new(Vector512.ConditionalSelect(Vector512.GreaterThan(a.v, b.v), t.v, f.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 KeepNaN(Lanes512 x, Lanes512 r) => new(Vector512.ConditionalSelect(Vector512.Equals(x.v, x.v), r.v, x.v));
}

internal readonly struct Lanes256(Vector256<double> v) : ILanes<Lanes256>
{
    private readonly Vector256<double> v = v;
    public static int Count => Vector256<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Load(ReadOnlySpan<double> s) => new(Vector256.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<double> d) => v.CopyTo(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Splat(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator +(Lanes256 a, Lanes256 b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator -(Lanes256 a, Lanes256 b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator *(Lanes256 a, Lanes256 b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator /(Lanes256 a, Lanes256 b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Fma(Lanes256 a, Lanes256 b, Lanes256 c) => new(Vector256.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Min(Lanes256 a, Lanes256 b) => new(Vector256.Min(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Max(Lanes256 a, Lanes256 b) => new(Vector256.Max(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Abs(Lanes256 a) => new(Vector256.Abs(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Round(Lanes256 a) => new(Vector256.Round(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Pow2(Lanes256 k) => new(Vector256.ShiftLeft((k.v + Vector256.Create(LaneBits.ExponentBias)).AsUInt64(), 52).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 CopySign(Lanes256 m, Lanes256 s) => new(Vector256.ConditionalSelect(Vector256.Create(LaneBits.SignMask).AsDouble(), s.v, m.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 IfGreater(Lanes256 a, Lanes256 b, Lanes256 t, Lanes256 f) => new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.v, b.v), t.v, f.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 KeepNaN(Lanes256 x, Lanes256 r) => new(Vector256.ConditionalSelect(Vector256.Equals(x.v, x.v), r.v, x.v));
}

/// <summary>One lane: the scalar tail of every kernel, computing exactly what a vector lane computes.</summary>
internal readonly struct Lane1(double v) : ILanes<Lane1>
{
    public readonly double Value = v;
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Load(ReadOnlySpan<double> s) => new(s[0]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<double> d) => d[0] = Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Splat(double value) => new(value);
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 CopySign(Lane1 m, Lane1 s) => new(Math.CopySign(m.Value, s.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 IfGreater(Lane1 a, Lane1 b, Lane1 t, Lane1 f) => a.Value > b.Value ? t : f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 KeepNaN(Lane1 x, Lane1 r) => double.IsNaN(x.Value) ? x : r;
}
