using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>Four doubles per register (AVX2): the form every fast path also needs, for machines without AVX-512.</summary>
internal readonly struct Lanes256(Vector256<double> v) : ILanes<Lanes256>, ILanesOf<Lanes256, double>
{
    private readonly Vector256<double> v = v;
    public static bool IsSingle => false;
    public static int Count => Vector256<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lanes256 Load(double* p) => new(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(double* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Load(ReadOnlySpan<double> s) => new(Vector256.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<double> d) => v.CopyTo(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Splat(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Broadcast(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator +(Lanes256 a, Lanes256 b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator -(Lanes256 a, Lanes256 b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator *(Lanes256 a, Lanes256 b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator /(Lanes256 a, Lanes256 b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Fma(Lanes256 a, Lanes256 b, Lanes256 c) => new(Vector256.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Min(Lanes256 a, Lanes256 b) => new(Vector256.MinNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Max(Lanes256 a, Lanes256 b) => new(Vector256.MaxNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Abs(Lanes256 a) => new(Vector256.Abs(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Round(Lanes256 a) => new(Vector256.Round(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Pow2(Lanes256 k) => new(Vector256.ShiftLeft((k.v + Vector256.Create(LaneBits.ExponentBias)).AsUInt64(), 52).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Pow2Biased(Lanes256 b) => new(Vector256.ShiftLeft(b.v.AsUInt64(), 52).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Normalize(Lanes256 x, out Lanes256 k)
    {
        var bits = x.v.AsUInt64();
        var top = Vector256.ShiftRightLogical(bits + Vector256.Create(LaneBits.SqrtHalfOffset), 52);   // k + bias
        k = new((Vector256.Create(LaneBits.TwoTo52) | top).AsDouble() - Vector256.Create(LaneBits.ExponentBias));
        return new((bits - Vector256.ShiftLeft(top, 52) + Vector256.Create(LaneBits.One)).AsDouble());
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBelow(Lanes256 a, Lanes256 bound) => Vector256.LessThanAll(a.v, bound.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 CopySign(Lanes256 m, Lanes256 s) => new(Vector256.ConditionalSelect(Vector256.Create(LaneBits.SignMask).AsDouble(), s.v, m.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 IfGreater(Lanes256 a, Lanes256 b, Lanes256 t, Lanes256 f) => new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.v, b.v), t.v, f.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 KeepNaN(Lanes256 x, Lanes256 r) => new(Vector256.ConditionalSelect(Vector256.Equals(x.v, x.v), r.v, x.v));
}
