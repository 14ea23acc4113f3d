using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

// The float lanes: the double lanes' operations on twice as many elements per register, for float32 training. Every
// operation rounds as the one-lane form does, so a float kernel's result never depends on the register width either.

/// <summary>Sixteen floats per register (AVX-512).</summary>
internal readonly struct Lanes512F(Vector512<float> v) : ILanes<Lanes512F>, ILanesOf<Lanes512F, float>
{
    private readonly Vector512<float> v = v;
    public static bool IsSingle => true;
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lanes512F Load(float* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F Load(ReadOnlySpan<float> s) => new(Vector512.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<float> d) => v.CopyTo(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F Broadcast(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F Splat(double value) => new(Vector512.Create((float)value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F operator +(Lanes512F a, Lanes512F b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F operator -(Lanes512F a, Lanes512F b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F operator *(Lanes512F a, Lanes512F b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F operator /(Lanes512F a, Lanes512F b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F Fma(Lanes512F a, Lanes512F b, Lanes512F c) => new(Vector512.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F Min(Lanes512F a, Lanes512F b) => new(Vector512.MinNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F Max(Lanes512F a, Lanes512F b) => new(Vector512.MaxNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F Abs(Lanes512F a) => new(Vector512.Abs(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F Round(Lanes512F a) => new(Vector512.Round(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512F Pow2(Lanes512F k) => new(Vector512.ShiftLeft((k.v + Vector512.Create(LaneBits.ExponentBiasSingle)).AsUInt32(), 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F Pow2Biased(Lanes512F b) => new(Vector512.ShiftLeft(b.v.AsUInt32(), 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512F Normalize(Lanes512F x, out Lanes512F k)
    {
        var bits = x.v.AsUInt32();
        var top = Vector512.ShiftRightLogical(bits + Vector512.Create(LaneBits.SqrtHalfOffsetSingle), 23);   // k + bias
        k = new((Vector512.Create(LaneBits.TwoTo23) | top).AsSingle() - Vector512.Create(LaneBits.ExponentBiasSingle));
        return new((bits - Vector512.ShiftLeft(top, 23) + Vector512.Create(LaneBits.OneSingle)).AsSingle());
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBelow(Lanes512F a, Lanes512F bound) => Vector512.LessThanAll(a.v, bound.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512F CopySign(Lanes512F m, Lanes512F s) => new(Vector512.ConditionalSelect(Vector512.Create(LaneBits.SignMaskSingle).AsSingle(), s.v, m.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512F IfGreater(Lanes512F a, Lanes512F b, Lanes512F t, Lanes512F f) => new(Vector512.ConditionalSelect(Vector512.GreaterThan(a.v, b.v), t.v, f.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512F KeepNaN(Lanes512F x, Lanes512F r) => new(Vector512.ConditionalSelect(Vector512.Equals(x.v, x.v), r.v, x.v));
}

/// <summary>Eight floats per register (AVX2).</summary>
internal readonly struct Lanes256F(Vector256<float> v) : ILanes<Lanes256F>, ILanesOf<Lanes256F, float>
{
    private readonly Vector256<float> v = v;
    public static bool IsSingle => true;
    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lanes256F Load(float* p) => new(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F Load(ReadOnlySpan<float> s) => new(Vector256.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<float> d) => v.CopyTo(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F Broadcast(float value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F Splat(double value) => new(Vector256.Create((float)value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F operator +(Lanes256F a, Lanes256F b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F operator -(Lanes256F a, Lanes256F b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F operator *(Lanes256F a, Lanes256F b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F operator /(Lanes256F a, Lanes256F b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F Fma(Lanes256F a, Lanes256F b, Lanes256F c) => new(Vector256.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F Min(Lanes256F a, Lanes256F b) => new(Vector256.MinNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F Max(Lanes256F a, Lanes256F b) => new(Vector256.MaxNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F Abs(Lanes256F a) => new(Vector256.Abs(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F Round(Lanes256F a) => new(Vector256.Round(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256F Pow2(Lanes256F k) => new(Vector256.ShiftLeft((k.v + Vector256.Create(LaneBits.ExponentBiasSingle)).AsUInt32(), 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F Pow2Biased(Lanes256F b) => new(Vector256.ShiftLeft(b.v.AsUInt32(), 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256F Normalize(Lanes256F x, out Lanes256F k)
    {
        var bits = x.v.AsUInt32();
        var top = Vector256.ShiftRightLogical(bits + Vector256.Create(LaneBits.SqrtHalfOffsetSingle), 23);   // k + bias
        k = new((Vector256.Create(LaneBits.TwoTo23) | top).AsSingle() - Vector256.Create(LaneBits.ExponentBiasSingle));
        return new((bits - Vector256.ShiftLeft(top, 23) + Vector256.Create(LaneBits.OneSingle)).AsSingle());
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBelow(Lanes256F a, Lanes256F bound) => Vector256.LessThanAll(a.v, bound.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256F CopySign(Lanes256F m, Lanes256F s) => new(Vector256.ConditionalSelect(Vector256.Create(LaneBits.SignMaskSingle).AsSingle(), s.v, m.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256F IfGreater(Lanes256F a, Lanes256F b, Lanes256F t, Lanes256F f) => new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.v, b.v), t.v, f.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256F KeepNaN(Lanes256F x, Lanes256F r) => new(Vector256.ConditionalSelect(Vector256.Equals(x.v, x.v), r.v, x.v));
}

/// <summary>Four floats per register: ARM64's AdvSimd, and SSE on x86.</summary>
internal readonly struct Lanes128F(Vector128<float> v) : ILanes<Lanes128F>, ILanesOf<Lanes128F, float>
{
    private readonly Vector128<float> v = v;
    public static bool IsSingle => true;
    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lanes128F Load(float* p) => new(Vector128.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F Load(ReadOnlySpan<float> s) => new(Vector128.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<float> d) => v.CopyTo(d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F Broadcast(float value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F Splat(double value) => new(Vector128.Create((float)value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F operator +(Lanes128F a, Lanes128F b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F operator -(Lanes128F a, Lanes128F b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F operator *(Lanes128F a, Lanes128F b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F operator /(Lanes128F a, Lanes128F b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F Fma(Lanes128F a, Lanes128F b, Lanes128F c) => new(Vector128.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F Min(Lanes128F a, Lanes128F b) => new(Vector128.MinNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F Max(Lanes128F a, Lanes128F b) => new(Vector128.MaxNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F Abs(Lanes128F a) => new(Vector128.Abs(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F Round(Lanes128F a) => new(Vector128.Round(a.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128F Pow2(Lanes128F k) => new(Vector128.ShiftLeft((k.v + Vector128.Create(LaneBits.ExponentBiasSingle)).AsUInt32(), 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F Pow2Biased(Lanes128F b) => new(Vector128.ShiftLeft(b.v.AsUInt32(), 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128F Normalize(Lanes128F x, out Lanes128F k)
    {
        var bits = x.v.AsUInt32();
        var top = Vector128.ShiftRightLogical(bits + Vector128.Create(LaneBits.SqrtHalfOffsetSingle), 23);   // k + bias
        k = new((Vector128.Create(LaneBits.TwoTo23) | top).AsSingle() - Vector128.Create(LaneBits.ExponentBiasSingle));
        return new((bits - Vector128.ShiftLeft(top, 23) + Vector128.Create(LaneBits.OneSingle)).AsSingle());
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBelow(Lanes128F a, Lanes128F bound) => Vector128.LessThanAll(a.v, bound.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128F CopySign(Lanes128F m, Lanes128F s) => new(Vector128.ConditionalSelect(Vector128.Create(LaneBits.SignMaskSingle).AsSingle(), s.v, m.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128F IfGreater(Lanes128F a, Lanes128F b, Lanes128F t, Lanes128F f) => new(Vector128.ConditionalSelect(Vector128.GreaterThan(a.v, b.v), t.v, f.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128F KeepNaN(Lanes128F x, Lanes128F r) => new(Vector128.ConditionalSelect(Vector128.Equals(x.v, x.v), r.v, x.v));
}

/// <summary>One float lane: the scalar tail of every float kernel, computing exactly what a vector lane computes.</summary>
internal readonly struct Lane1F(float v) : ILanes<Lane1F>, ILanesOf<Lane1F, float>
{
    public readonly float Value = v;
    public static bool IsSingle => true;
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lane1F Load(float* p) => new(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* p) => *p = Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F Load(ReadOnlySpan<float> s) => new(s[0]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<float> d) => d[0] = Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F Broadcast(float value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F Splat(double value) => new((float)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F operator +(Lane1F a, Lane1F b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F operator -(Lane1F a, Lane1F b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F operator *(Lane1F a, Lane1F b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F operator /(Lane1F a, Lane1F b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F Fma(Lane1F a, Lane1F b, Lane1F c) => new(MathF.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    // Kernels never pass NaN to Min/Max (KeepNaN restores it), so the vector and scalar NaN rules need not agree.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F Min(Lane1F a, Lane1F b) => new(a.Value < b.Value ? a.Value : b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F Max(Lane1F a, Lane1F b) => new(a.Value > b.Value ? a.Value : b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F Abs(Lane1F a) => new(MathF.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F Round(Lane1F a) => new(MathF.Round(a.Value, MidpointRounding.ToEven));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1F Pow2(Lane1F k) => new(BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(k.Value + LaneBits.ExponentBiasSingle) << 23));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1F Pow2Biased(Lane1F b) => new(BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(b.Value) << 23));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1F Normalize(Lane1F x, out Lane1F k)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x.Value), top = (bits + LaneBits.SqrtHalfOffsetSingle) >> 23;
        k = new(BitConverter.UInt32BitsToSingle(LaneBits.TwoTo23 | top) - LaneBits.ExponentBiasSingle);
        return new(BitConverter.UInt32BitsToSingle(bits - (top << 23) + LaneBits.OneSingle));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBelow(Lane1F a, Lane1F bound) => a.Value < bound.Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F CopySign(Lane1F m, Lane1F s) => new(MathF.CopySign(m.Value, s.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F IfGreater(Lane1F a, Lane1F b, Lane1F t, Lane1F f) => a.Value > b.Value ? t : f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1F KeepNaN(Lane1F x, Lane1F r) => float.IsNaN(x.Value) ? x : r;
}
