using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff;

// The float lanes of the convolution's register tiles (ConvTiles): twice the channels of the double lanes per register.

internal readonly struct Tile512F(Vector512<float> v) : ITileLanes<Tile512F, float>
{
    private readonly Vector512<float> v = v;
    public static int Count => 16;
    public static Tile512F Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Tile512F Load(float* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile512F Splat(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile512F Fma(Tile512F a, Tile512F b, Tile512F c) => new(Vector512.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile512F operator +(Tile512F a, Tile512F b) => new(a.v + b.v);
}

internal readonly struct Tile256F(Vector256<float> v) : ITileLanes<Tile256F, float>
{
    private readonly Vector256<float> v = v;
    public static int Count => 8;
    public static Tile256F Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Tile256F Load(float* p) => new(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile256F Splat(float value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile256F Fma(Tile256F a, Tile256F b, Tile256F c) => new(Vector256.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile256F operator +(Tile256F a, Tile256F b) => new(a.v + b.v);
}

internal readonly struct Tile128F(Vector128<float> v) : ITileLanes<Tile128F, float>
{
    private readonly Vector128<float> v = v;
    public static int Count => 4;
    public static Tile128F Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Tile128F Load(float* p) => new(Vector128.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile128F Splat(float value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile128F Fma(Tile128F a, Tile128F b, Tile128F c) => new(Vector128.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile128F operator +(Tile128F a, Tile128F b) => new(a.v + b.v);
}
