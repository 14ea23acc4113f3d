using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>Eight doubles per register (AVX-512).</summary>
internal readonly struct Lanes512(Vector512<double> v) : ILanes<Lanes512>, ILanesOf<Lanes512, double>
{
    private readonly Vector512<double> v = v;
    public static bool IsSingle => false;
    public static int Count => Vector512<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lanes512 Load(double* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(double* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Load(ReadOnlySpan<double> s) => new(Vector512.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<double> d) => v.CopyTo(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Splat(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Broadcast(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator *(Lanes512 a, Lanes512 b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator /(Lanes512 a, Lanes512 b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Fma(Lanes512 a, Lanes512 b, Lanes512 c) => new(Vector512.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Min(Lanes512 a, Lanes512 b) => new(Vector512.MinNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Max(Lanes512 a, Lanes512 b) => new(Vector512.MaxNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Abs(Lanes512 a) => new(Vector512.Abs(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Round(Lanes512 a) => new(Vector512.Round(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Pow2(Lanes512 k) => new(Vector512.ShiftLeft((k.v + Vector512.Create(LaneBits.ExponentBias)).AsUInt64(), 52).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Pow2Biased(Lanes512 b) => new(Vector512.ShiftLeft(b.v.AsUInt64(), 52).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Normalize(Lanes512 x, out Lanes512 k)
    {
        var bits = x.v.AsUInt64();
        var top = Vector512.ShiftRightLogical(bits + Vector512.Create(LaneBits.SqrtHalfOffset), 52);   // k + bias
        k = new((Vector512.Create(LaneBits.TwoTo52) | top).AsDouble() - Vector512.Create(LaneBits.ExponentBias));
        return new((bits - Vector512.ShiftLeft(top, 52) + Vector512.Create(LaneBits.One)).AsDouble());
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBelow(Lanes512 a, Lanes512 bound) => Vector512.LessThanAll(a.v, bound.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 CopySign(Lanes512 m, Lanes512 s) => new(Vector512.ConditionalSelect(Vector512.Create(LaneBits.SignMask).AsDouble(), s.v, m.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 IfGreater(Lanes512 a, Lanes512 b, Lanes512 t, Lanes512 f) => new(Vector512.ConditionalSelect(Vector512.GreaterThan(a.v, b.v), t.v, f.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 KeepNaN(Lanes512 x, Lanes512 r) => new(Vector512.ConditionalSelect(Vector512.Equals(x.v, x.v), r.v, x.v));
}
