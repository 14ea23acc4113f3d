using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff;

// Written out by hand, as the GEMM micro-kernels in Tensors: every accumulator is its own local so that the JIT keeps all twelve in
// registers across the whole reduction.

/// <summary>
/// The register tiles of a convolution that reads its input where it lies (no im2col): images are stored with their
/// channels fastest, so a tap of a patch is a contiguous run of channels and six output positions are six pointers
/// into the (zero-bordered) input. A tile is two vectors of output channels by six columns, twelve accumulators:
/// 8×6 with AVX2, 16×6 with AVX-512, 4×6 with 128-bit vectors.
/// </summary>
internal static class ConvTiles
{
    /// <summary>Channels a tile computes: two vectors at the widest accelerated width, or 0 when none is.</summary>
    public static int NativeChannels { get; } =
        Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 0;

    /// <summary>Tests set 16, 8 or 4 to run every width on one machine (0: <see cref="NativeChannels"/>).</summary>
    internal static int ForcedChannels { get; set; }

    /// <summary>Channels a tile computes now.</summary>
    public static int Channels => ForcedChannels != 0 ? ForcedChannels : NativeChannels;

    /// <summary>Columns of a tile: output positions (<see cref="Convolve{T, E}"/>) or patch elements (<see cref="Correlate{T, E}"/>).</summary>
    public const int Columns = 6;

    /// <summary>
    /// Output channels o0 … o0+2n−1 at six positions: out_j = Σ_t Σ_c w[t, c]·p_j[offset_t + c] (+ bias), the sum
    /// in (t, c) order. <paramref name="weights"/> holds, for each (t, c) in that order, the tile's 2n channel weights
    /// contiguous. Position j's result goes to <c>output + j·outputStride</c>, for j &lt; <paramref name="valid"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Convolve<T, E>(E* weights, int* offsets, int taps, int channels,
        E* p0, E* p1, E* p2, E* p3, E* p4, E* p5,
        E* bias, E* output, int outputStride, int valid) where T : struct, ITileLanes<T, E> where E : unmanaged
    {
        int n = T.Count, mr = 2 * n;
        T c00 = T.Zero, c10 = T.Zero, c01 = T.Zero, c11 = T.Zero, c02 = T.Zero, c12 = T.Zero;
        T c03 = T.Zero, c13 = T.Zero, c04 = T.Zero, c14 = T.Zero, c05 = T.Zero, c15 = T.Zero;
        E* w = weights;
        for (int t = 0; t < taps; t++)
        {
            int offset = offsets[t];
            E* q0 = p0 + offset, q1 = p1 + offset, q2 = p2 + offset, q3 = p3 + offset, q4 = p4 + offset, q5 = p5 + offset;
            for (int c = 0; c < channels; c++)
            {
                var a0 = T.Load(w);
                var a1 = T.Load(w + n);
                var v0 = T.Splat(q0[c]);
                c00 = T.Fma(a0, v0, c00); c10 = T.Fma(a1, v0, c10);
                var v1 = T.Splat(q1[c]);
                c01 = T.Fma(a0, v1, c01); c11 = T.Fma(a1, v1, c11);
                var v2 = T.Splat(q2[c]);
                c02 = T.Fma(a0, v2, c02); c12 = T.Fma(a1, v2, c12);
                var v3 = T.Splat(q3[c]);
                c03 = T.Fma(a0, v3, c03); c13 = T.Fma(a1, v3, c13);
                var v4 = T.Splat(q4[c]);
                c04 = T.Fma(a0, v4, c04); c14 = T.Fma(a1, v4, c14);
                var v5 = T.Splat(q5[c]);
                c05 = T.Fma(a0, v5, c05); c15 = T.Fma(a1, v5, c15);
                w += mr;
            }
        }
        if (bias != null)
        {
            T b0 = T.Load(bias), b1 = T.Load(bias + n);
            c00 += b0; c10 += b1; c01 += b0; c11 += b1; c02 += b0; c12 += b1;
            c03 += b0; c13 += b1; c04 += b0; c14 += b1; c05 += b0; c15 += b1;
        }
        c00.Store(output); c10.Store(output + n);
        if (valid > 1) { output += outputStride; c01.Store(output); c11.Store(output + n); }
        if (valid > 2) { output += outputStride; c02.Store(output); c12.Store(output + n); }
        if (valid > 3) { output += outputStride; c03.Store(output); c13.Store(output + n); }
        if (valid > 4) { output += outputStride; c04.Store(output); c14.Store(output + n); }
        if (valid > 5) { output += outputStride; c05.Store(output); c15.Store(output + n); }
    }

    /// <summary>
    /// As <see cref="Convolve{T, E}"/> for n output channels (one register) rather than 2n: the two registers of a row of
    /// the tile sum the even and the odd input channels, and are added at the end, so a result with half a wide tile's
    /// channels keeps full-width multiply-adds and twelve independent sums (16 float channels on an AVX-512 machine ran
    /// at half width, two 256-bit registers). <paramref name="weights"/> is packed n channels wide, as for a tile of n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ConvolvePairs<T, E>(E* weights, int* offsets, int taps, int channels,
        E* p0, E* p1, E* p2, E* p3, E* p4, E* p5,
        E* bias, E* output, int outputStride, int valid) where T : struct, ITileLanes<T, E> where E : unmanaged
    {
        int n = T.Count, even = channels & ~1;
        T c00 = T.Zero, c10 = T.Zero, c01 = T.Zero, c11 = T.Zero, c02 = T.Zero, c12 = T.Zero;
        T c03 = T.Zero, c13 = T.Zero, c04 = T.Zero, c14 = T.Zero, c05 = T.Zero, c15 = T.Zero;
        E* w = weights;
        for (int t = 0; t < taps; t++)
        {
            int offset = offsets[t];
            E* q0 = p0 + offset, q1 = p1 + offset, q2 = p2 + offset, q3 = p3 + offset, q4 = p4 + offset, q5 = p5 + offset;
            int c = 0;
            for (; c < even; c += 2, w += 2 * n)
            {
                var a0 = T.Load(w);
                var a1 = T.Load(w + n);
                c00 = T.Fma(a0, T.Splat(q0[c]), c00); c10 = T.Fma(a1, T.Splat(q0[c + 1]), c10);
                c01 = T.Fma(a0, T.Splat(q1[c]), c01); c11 = T.Fma(a1, T.Splat(q1[c + 1]), c11);
                c02 = T.Fma(a0, T.Splat(q2[c]), c02); c12 = T.Fma(a1, T.Splat(q2[c + 1]), c12);
                c03 = T.Fma(a0, T.Splat(q3[c]), c03); c13 = T.Fma(a1, T.Splat(q3[c + 1]), c13);
                c04 = T.Fma(a0, T.Splat(q4[c]), c04); c14 = T.Fma(a1, T.Splat(q4[c + 1]), c14);
                c05 = T.Fma(a0, T.Splat(q5[c]), c05); c15 = T.Fma(a1, T.Splat(q5[c + 1]), c15);
            }
            if (c < channels)
            {
                var a0 = T.Load(w);
                c00 = T.Fma(a0, T.Splat(q0[c]), c00); c01 = T.Fma(a0, T.Splat(q1[c]), c01); c02 = T.Fma(a0, T.Splat(q2[c]), c02);
                c03 = T.Fma(a0, T.Splat(q3[c]), c03); c04 = T.Fma(a0, T.Splat(q4[c]), c04); c05 = T.Fma(a0, T.Splat(q5[c]), c05);
                w += n;
            }
        }
        c00 += c10; c01 += c11; c02 += c12; c03 += c13; c04 += c14; c05 += c15;
        if (bias != null)
        {
            T b = T.Load(bias);
            c00 += b; c01 += b; c02 += b; c03 += b; c04 += b; c05 += b;
        }
        c00.Store(output);
        if (valid > 1) { output += outputStride; c01.Store(output); }
        if (valid > 2) { output += outputStride; c02.Store(output); }
        if (valid > 3) { output += outputStride; c03.Store(output); }
        if (valid > 4) { output += outputStride; c04.Store(output); }
        if (valid > 5) { output += outputStride; c05.Store(output); }
    }

    /// <summary>
    /// Adds to six columns of sums, sum_j (2n channels, at <c>sums + j·sumStride</c>, j &lt; <paramref name="valid"/>),
    /// Σ over an example's positions of g[position]·p_j[position's offset]: <paramref name="gradient"/> holds each
    /// position's channels (row after row, <paramref name="gradientStride"/> apart), and the input is read at
    /// row·<paramref name="rowStep"/> + column·<paramref name="columnStep"/>. Positions are summed in storage order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Correlate<T, E>(E* gradient, int gradientStride, int rows, int columns, int rowStep, int columnStep,
        E* p0, E* p1, E* p2, E* p3, E* p4, E* p5,
        E* sums, int sumStride, int valid) where T : struct, ITileLanes<T, E> where E : unmanaged
    {
        int n = T.Count;
        E* s = sums;
        T c00 = T.Load(s), c10 = T.Load(s + n);
        s += valid > 1 ? sumStride : 0; T c01 = T.Load(s), c11 = T.Load(s + n);
        s += valid > 2 ? sumStride : 0; T c02 = T.Load(s), c12 = T.Load(s + n);
        s += valid > 3 ? sumStride : 0; T c03 = T.Load(s), c13 = T.Load(s + n);
        s += valid > 4 ? sumStride : 0; T c04 = T.Load(s), c14 = T.Load(s + n);
        s += valid > 5 ? sumStride : 0; T c05 = T.Load(s), c15 = T.Load(s + n);
        E* g = gradient;
        for (int row = 0; row < rows; row++)
        {
            long at = (long)row * rowStep;
            for (int column = 0; column < columns; column++, at += columnStep)
            {
                var a0 = T.Load(g);
                var a1 = T.Load(g + n);
                var v0 = T.Splat(p0[at]);
                c00 = T.Fma(a0, v0, c00); c10 = T.Fma(a1, v0, c10);
                var v1 = T.Splat(p1[at]);
                c01 = T.Fma(a0, v1, c01); c11 = T.Fma(a1, v1, c11);
                var v2 = T.Splat(p2[at]);
                c02 = T.Fma(a0, v2, c02); c12 = T.Fma(a1, v2, c12);
                var v3 = T.Splat(p3[at]);
                c03 = T.Fma(a0, v3, c03); c13 = T.Fma(a1, v3, c13);
                var v4 = T.Splat(p4[at]);
                c04 = T.Fma(a0, v4, c04); c14 = T.Fma(a1, v4, c14);
                var v5 = T.Splat(p5[at]);
                c05 = T.Fma(a0, v5, c05); c15 = T.Fma(a1, v5, c15);
                g += gradientStride;
            }
        }
        c00.Store(sums); c10.Store(sums + n);
        if (valid > 1) { sums += sumStride; c01.Store(sums); c11.Store(sums + n); }
        if (valid > 2) { sums += sumStride; c02.Store(sums); c12.Store(sums + n); }
        if (valid > 3) { sums += sumStride; c03.Store(sums); c13.Store(sums + n); }
        if (valid > 4) { sums += sumStride; c04.Store(sums); c14.Store(sums + n); }
        if (valid > 5) { sums += sumStride; c05.Store(sums); c15.Store(sums + n); }
    }
}

/// <summary>The vector operations a tile needs, at one register width, over elements <typeparamref name="E"/> (Tensors keeps its lane types internal).</summary>
internal interface ITileLanes<T, E> where T : struct, ITileLanes<T, E> where E : unmanaged
{
    static abstract int Count { get; }
    static abstract T Zero { get; }
    static abstract unsafe T Load(E* source);
    unsafe void Store(E* destination);
    static abstract T Splat(E value);
    static abstract T Fma(T a, T b, T c);
    static abstract T operator +(T a, T b);
}

internal readonly struct Tile512(Vector512<double> v) : ITileLanes<Tile512, double>
{
    private readonly Vector512<double> v = v;
    public static int Count => 8;
    public static Tile512 Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Tile512 Load(double* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(double* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile512 Splat(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile512 Fma(Tile512 a, Tile512 b, Tile512 c) => new(Vector512.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile512 operator +(Tile512 a, Tile512 b) => new(a.v + b.v);
}

internal readonly struct Tile256(Vector256<double> v) : ITileLanes<Tile256, double>
{
    private readonly Vector256<double> v = v;
    public static int Count => 4;
    public static Tile256 Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Tile256 Load(double* p) => new(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(double* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile256 Splat(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile256 Fma(Tile256 a, Tile256 b, Tile256 c) => new(Vector256.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile256 operator +(Tile256 a, Tile256 b) => new(a.v + b.v);
}

internal readonly struct Tile128(Vector128<double> v) : ITileLanes<Tile128, double>
{
    private readonly Vector128<double> v = v;
    public static int Count => 2;
    public static Tile128 Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Tile128 Load(double* p) => new(Vector128.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(double* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile128 Splat(double value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile128 Fma(Tile128 a, Tile128 b, Tile128 c) => new(Vector128.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Tile128 operator +(Tile128 a, Tile128 b) => new(a.v + b.v);
}
