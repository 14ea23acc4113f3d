using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>Two doubles per register: ARM64's AdvSimd (NEON), and SSE on x86; forced on x86 to test that path.</summary>
internal readonly struct Lanes128(Vector128<double> v) : ILanes<Lanes128>, ILanesOf<Lanes128, double>
{
    private readonly Vector128<double> v = v;
    public static bool IsSingle => false;
    public static int Count => Vector128<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lanes128 Load(double* p) => new(Vector128.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(double* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Load(ReadOnlySpan<double> s) => new(Vector128.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<double> d) => v.CopyTo(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Splat(double value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Broadcast(double value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 operator +(Lanes128 a, Lanes128 b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 operator -(Lanes128 a, Lanes128 b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 operator *(Lanes128 a, Lanes128 b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 operator /(Lanes128 a, Lanes128 b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Fma(Lanes128 a, Lanes128 b, Lanes128 c) => new(Vector128.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Min(Lanes128 a, Lanes128 b) => new(Vector128.MinNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Max(Lanes128 a, Lanes128 b) => new(Vector128.MaxNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Abs(Lanes128 a) => new(Vector128.Abs(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Round(Lanes128 a) => new(Vector128.Round(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Pow2(Lanes128 k) => new(Vector128.ShiftLeft((k.v + Vector128.Create(LaneBits.ExponentBias)).AsUInt64(), 52).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Pow2Biased(Lanes128 b) => new(Vector128.ShiftLeft(b.v.AsUInt64(), 52).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Normalize(Lanes128 x, out Lanes128 k)
    {
        var bits = x.v.AsUInt64();
        var top = Vector128.ShiftRightLogical(bits + Vector128.Create(LaneBits.SqrtHalfOffset), 52);   // k + bias
        k = new((Vector128.Create(LaneBits.TwoTo52) | top).AsDouble() - Vector128.Create(LaneBits.ExponentBias));
        return new((bits - Vector128.ShiftLeft(top, 52) + Vector128.Create(LaneBits.One)).AsDouble());
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBelow(Lanes128 a, Lanes128 bound) => Vector128.LessThanAll(a.v, bound.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 CopySign(Lanes128 m, Lanes128 s) => new(Vector128.ConditionalSelect(Vector128.Create(LaneBits.SignMask).AsDouble(), s.v, m.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 IfGreater(Lanes128 a, Lanes128 b, Lanes128 t, Lanes128 f) => new(Vector128.ConditionalSelect(Vector128.GreaterThan(a.v, b.v), t.v, f.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 KeepNaN(Lanes128 x, Lanes128 r) => new(Vector128.ConditionalSelect(Vector128.Equals(x.v, x.v), r.v, x.v));
}
