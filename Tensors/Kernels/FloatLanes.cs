using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>Sixteen floats per register (AVX-512): the float GEMM's widest path.</summary>
internal readonly struct Lanes512F(Vector512<float> v) : IGemmLanes<Lanes512F, float>
{
    private readonly Vector512<float> v = v;
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lanes512F Load(float* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F Splat(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F Fma(Lanes512F a, Lanes512F b, Lanes512F c) => new(Vector512.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512F operator *(Lanes512F a, Lanes512F b) => new(a.v * b.v);
}

/// <summary>Eight floats per register (AVX2).</summary>
internal readonly struct Lanes256F(Vector256<float> v) : IGemmLanes<Lanes256F, float>
{
    private readonly Vector256<float> v = v;
    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lanes256F Load(float* p) => new(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F Splat(float value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F Fma(Lanes256F a, Lanes256F b, Lanes256F c) => new(Vector256.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256F operator *(Lanes256F a, Lanes256F b) => new(a.v * b.v);
}

/// <summary>Four floats per register: ARM64's AdvSimd, and SSE on x86.</summary>
internal readonly struct Lanes128F(Vector128<float> v) : IGemmLanes<Lanes128F, float>
{
    private readonly Vector128<float> v = v;
    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Lanes128F Load(float* p) => new(Vector128.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F Splat(float value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F Fma(Lanes128F a, Lanes128F b, Lanes128F c) => new(Vector128.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128F operator *(Lanes128F a, Lanes128F b) => new(a.v * b.v);
}
