using System.Runtime.CompilerServices;

namespace GraphDiff.Kernels;

/// <summary>
/// Two registers of <typeparamref name="T"/> side by side, every operation done on both: a kernel written once over
/// <see cref="ILanes{T}"/> then runs two independent chains interleaved, instruction by instruction, so the second
/// chain's work fills the latency of the first (a chain of dependent fused multiply-adds waits 4 cycles for each
/// result, and the out-of-order window alone did not overlap enough of them). Each lane computes exactly what it
/// computes in one register, so the bits do not change; only a kernel's test for its fast path
/// (<see cref="AllBelow"/>) covers both registers at once.
/// </summary>
internal readonly struct Twice<T, E>(T a, T b) : ILanes<Twice<T, E>>, ILanesOf<Twice<T, E>, E>
    where T : struct, ILanes<T>, ILanesOf<T, E> where E : unmanaged
{
    private readonly T a = a, b = b;
    public static bool IsSingle => T.IsSingle;
    public static int Count => 2 * T.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Twice<T, E> Load(E* p) => new(T.Load(p), T.Load(p + T.Count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(E* p) { a.Store(p); b.Store(p + T.Count); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> Load(ReadOnlySpan<E> s) => new(T.Load(s), T.Load(s[T.Count..]));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(Span<E> d) { a.Store(d); b.Store(d[T.Count..]); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> Broadcast(E value) => new(T.Broadcast(value), T.Broadcast(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> Splat(double value) => new(T.Splat(value), T.Splat(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> operator +(Twice<T, E> x, Twice<T, E> y) => new(x.a + y.a, x.b + y.b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> operator -(Twice<T, E> x, Twice<T, E> y) => new(x.a - y.a, x.b - y.b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> operator *(Twice<T, E> x, Twice<T, E> y) => new(x.a * y.a, x.b * y.b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> operator /(Twice<T, E> x, Twice<T, E> y) => new(x.a / y.a, x.b / y.b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> Fma(Twice<T, E> x, Twice<T, E> y, Twice<T, E> z) => new(T.Fma(x.a, y.a, z.a), T.Fma(x.b, y.b, z.b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> Min(Twice<T, E> x, Twice<T, E> y) => new(T.Min(x.a, y.a), T.Min(x.b, y.b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> Max(Twice<T, E> x, Twice<T, E> y) => new(T.Max(x.a, y.a), T.Max(x.b, y.b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> Abs(Twice<T, E> x) => new(T.Abs(x.a), T.Abs(x.b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> Round(Twice<T, E> x) => new(T.Round(x.a), T.Round(x.b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> Pow2(Twice<T, E> k) => new(T.Pow2(k.a), T.Pow2(k.b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> Pow2Biased(Twice<T, E> k) => new(T.Pow2Biased(k.a), T.Pow2Biased(k.b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Twice<T, E> Normalize(Twice<T, E> x, out Twice<T, E> k)
    {
        var (ma, mb) = (T.Normalize(x.a, out var ka), T.Normalize(x.b, out var kb));
        k = new(ka, kb);
        return new(ma, mb);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllBelow(Twice<T, E> x, Twice<T, E> bound) => T.AllBelow(x.a, bound.a) & T.AllBelow(x.b, bound.b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> CopySign(Twice<T, E> m, Twice<T, E> s) => new(T.CopySign(m.a, s.a), T.CopySign(m.b, s.b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Twice<T, E> IfGreater(Twice<T, E> x, Twice<T, E> y, Twice<T, E> t, Twice<T, E> f) => new(T.IfGreater(x.a, y.a, t.a, f.a), T.IfGreater(x.b, y.b, t.b, f.b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Twice<T, E> KeepNaN(Twice<T, E> x, Twice<T, E> r) => new(T.KeepNaN(x.a, r.a), T.KeepNaN(x.b, r.b));
}
