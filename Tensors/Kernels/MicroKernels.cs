using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphDiff.Kernels;

// Generated shape, written out by hand on purpose: every accumulator is its own local so that the JIT keeps
// them all in registers (an array or stackalloc'd tile spills them to memory on every iteration).

/// <summary>
/// The register-blocked micro-kernels: C[tile] := α·Ã·B̃ + β·C[tile] for a packed panel Ã (MR×kc, column by column)
/// and B̃ (kc×NR), packed row by row or read in place through strides. A partial edge tile is computed into <c>scratch</c> (MR×NR) and copied out.
/// </summary>
internal static class MicroKernels
{
    /// <summary>Rows and columns of the 512-bit kernel's tile.</summary>
    public const int Mr512 = 24, Nr512 = 8;
    /// <summary>Rows and columns of the 256-bit kernel's tile.</summary>
    public const int Mr256 = 8, Nr256 = 6;
    /// <summary>The 128-bit kernel's register block: 4×6 (two vectors of two doubles by six columns).</summary>
    public const int Mr128 = 4, Nr128 = 6;
    /// <summary>Rows and columns of the scalar kernel's tile.</summary>
    public const int MrScalar = 4, NrScalar = 4;

    /// <summary>
    /// The 24×8 Vector512 kernel: 24 accumulators held in registers across the whole k loop. Element (p, j)
    /// of op(B) is read at <c>pb[p·rowStride + j·columnStride]</c>: a packed panel (rowStride 8, columnStride 1)
    /// or op(B) where it lies, unpacked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Kernel512(int kc, double* pa, double* pb, long rowStride, long columnStride, double* c, int ldc, double alpha, double beta, int rows, int columns, double* scratch)
    {
        double* b0 = pb + 0 * columnStride;
        double* b1 = pb + 1 * columnStride;
        double* b2 = pb + 2 * columnStride;
        double* b3 = pb + 3 * columnStride;
        double* b4 = pb + 4 * columnStride;
        double* b5 = pb + 5 * columnStride;
        double* b6 = pb + 6 * columnStride;
        double* b7 = pb + 7 * columnStride;
        var c00 = Vector512<double>.Zero; var c10 = Vector512<double>.Zero; var c20 = Vector512<double>.Zero;
        var c01 = Vector512<double>.Zero; var c11 = Vector512<double>.Zero; var c21 = Vector512<double>.Zero;
        var c02 = Vector512<double>.Zero; var c12 = Vector512<double>.Zero; var c22 = Vector512<double>.Zero;
        var c03 = Vector512<double>.Zero; var c13 = Vector512<double>.Zero; var c23 = Vector512<double>.Zero;
        var c04 = Vector512<double>.Zero; var c14 = Vector512<double>.Zero; var c24 = Vector512<double>.Zero;
        var c05 = Vector512<double>.Zero; var c15 = Vector512<double>.Zero; var c25 = Vector512<double>.Zero;
        var c06 = Vector512<double>.Zero; var c16 = Vector512<double>.Zero; var c26 = Vector512<double>.Zero;
        var c07 = Vector512<double>.Zero; var c17 = Vector512<double>.Zero; var c27 = Vector512<double>.Zero;
        double* ahead = Ahead(b0, rowStride, columnStride);
        for (long q = 0, end = kc * rowStride; q != end; q += rowStride)
        {
            if (ahead != null) Sse.Prefetch1(ahead + q);
            var a0 = Vector512.Load(pa + 0);
            var a1 = Vector512.Load(pa + 8);
            var a2 = Vector512.Load(pa + 16);
            var v0 = Vector512.Create(b0[q]);
            c00 = Vector512.FusedMultiplyAdd(a0, v0, c00); c10 = Vector512.FusedMultiplyAdd(a1, v0, c10); c20 = Vector512.FusedMultiplyAdd(a2, v0, c20);
            var v1 = Vector512.Create(b1[q]);
            c01 = Vector512.FusedMultiplyAdd(a0, v1, c01); c11 = Vector512.FusedMultiplyAdd(a1, v1, c11); c21 = Vector512.FusedMultiplyAdd(a2, v1, c21);
            var v2 = Vector512.Create(b2[q]);
            c02 = Vector512.FusedMultiplyAdd(a0, v2, c02); c12 = Vector512.FusedMultiplyAdd(a1, v2, c12); c22 = Vector512.FusedMultiplyAdd(a2, v2, c22);
            var v3 = Vector512.Create(b3[q]);
            c03 = Vector512.FusedMultiplyAdd(a0, v3, c03); c13 = Vector512.FusedMultiplyAdd(a1, v3, c13); c23 = Vector512.FusedMultiplyAdd(a2, v3, c23);
            var v4 = Vector512.Create(b4[q]);
            c04 = Vector512.FusedMultiplyAdd(a0, v4, c04); c14 = Vector512.FusedMultiplyAdd(a1, v4, c14); c24 = Vector512.FusedMultiplyAdd(a2, v4, c24);
            var v5 = Vector512.Create(b5[q]);
            c05 = Vector512.FusedMultiplyAdd(a0, v5, c05); c15 = Vector512.FusedMultiplyAdd(a1, v5, c15); c25 = Vector512.FusedMultiplyAdd(a2, v5, c25);
            var v6 = Vector512.Create(b6[q]);
            c06 = Vector512.FusedMultiplyAdd(a0, v6, c06); c16 = Vector512.FusedMultiplyAdd(a1, v6, c16); c26 = Vector512.FusedMultiplyAdd(a2, v6, c26);
            var v7 = Vector512.Create(b7[q]);
            c07 = Vector512.FusedMultiplyAdd(a0, v7, c07); c17 = Vector512.FusedMultiplyAdd(a1, v7, c17); c27 = Vector512.FusedMultiplyAdd(a2, v7, c27);
            pa += 24;
        }
        bool full = rows == 24 && columns == 8;
        double* target = full ? c : scratch;
        int ld = full ? ldc : 24;
        var va = Vector512.Create(alpha);
        if (!full || beta == 0)
        {
            (c00 * va).Store(target + 0 + 0 * ld); (c10 * va).Store(target + 8 + 0 * ld); (c20 * va).Store(target + 16 + 0 * ld);
            (c01 * va).Store(target + 0 + 1 * ld); (c11 * va).Store(target + 8 + 1 * ld); (c21 * va).Store(target + 16 + 1 * ld);
            (c02 * va).Store(target + 0 + 2 * ld); (c12 * va).Store(target + 8 + 2 * ld); (c22 * va).Store(target + 16 + 2 * ld);
            (c03 * va).Store(target + 0 + 3 * ld); (c13 * va).Store(target + 8 + 3 * ld); (c23 * va).Store(target + 16 + 3 * ld);
            (c04 * va).Store(target + 0 + 4 * ld); (c14 * va).Store(target + 8 + 4 * ld); (c24 * va).Store(target + 16 + 4 * ld);
            (c05 * va).Store(target + 0 + 5 * ld); (c15 * va).Store(target + 8 + 5 * ld); (c25 * va).Store(target + 16 + 5 * ld);
            (c06 * va).Store(target + 0 + 6 * ld); (c16 * va).Store(target + 8 + 6 * ld); (c26 * va).Store(target + 16 + 6 * ld);
            (c07 * va).Store(target + 0 + 7 * ld); (c17 * va).Store(target + 8 + 7 * ld); (c27 * va).Store(target + 16 + 7 * ld);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Vector512.FusedMultiplyAdd(c00, va, Vector512.Load(c + 0 + 0 * ldc) * vb).Store(c + 0 + 0 * ldc); Vector512.FusedMultiplyAdd(c10, va, Vector512.Load(c + 8 + 0 * ldc) * vb).Store(c + 8 + 0 * ldc); Vector512.FusedMultiplyAdd(c20, va, Vector512.Load(c + 16 + 0 * ldc) * vb).Store(c + 16 + 0 * ldc);
            Vector512.FusedMultiplyAdd(c01, va, Vector512.Load(c + 0 + 1 * ldc) * vb).Store(c + 0 + 1 * ldc); Vector512.FusedMultiplyAdd(c11, va, Vector512.Load(c + 8 + 1 * ldc) * vb).Store(c + 8 + 1 * ldc); Vector512.FusedMultiplyAdd(c21, va, Vector512.Load(c + 16 + 1 * ldc) * vb).Store(c + 16 + 1 * ldc);
            Vector512.FusedMultiplyAdd(c02, va, Vector512.Load(c + 0 + 2 * ldc) * vb).Store(c + 0 + 2 * ldc); Vector512.FusedMultiplyAdd(c12, va, Vector512.Load(c + 8 + 2 * ldc) * vb).Store(c + 8 + 2 * ldc); Vector512.FusedMultiplyAdd(c22, va, Vector512.Load(c + 16 + 2 * ldc) * vb).Store(c + 16 + 2 * ldc);
            Vector512.FusedMultiplyAdd(c03, va, Vector512.Load(c + 0 + 3 * ldc) * vb).Store(c + 0 + 3 * ldc); Vector512.FusedMultiplyAdd(c13, va, Vector512.Load(c + 8 + 3 * ldc) * vb).Store(c + 8 + 3 * ldc); Vector512.FusedMultiplyAdd(c23, va, Vector512.Load(c + 16 + 3 * ldc) * vb).Store(c + 16 + 3 * ldc);
            Vector512.FusedMultiplyAdd(c04, va, Vector512.Load(c + 0 + 4 * ldc) * vb).Store(c + 0 + 4 * ldc); Vector512.FusedMultiplyAdd(c14, va, Vector512.Load(c + 8 + 4 * ldc) * vb).Store(c + 8 + 4 * ldc); Vector512.FusedMultiplyAdd(c24, va, Vector512.Load(c + 16 + 4 * ldc) * vb).Store(c + 16 + 4 * ldc);
            Vector512.FusedMultiplyAdd(c05, va, Vector512.Load(c + 0 + 5 * ldc) * vb).Store(c + 0 + 5 * ldc); Vector512.FusedMultiplyAdd(c15, va, Vector512.Load(c + 8 + 5 * ldc) * vb).Store(c + 8 + 5 * ldc); Vector512.FusedMultiplyAdd(c25, va, Vector512.Load(c + 16 + 5 * ldc) * vb).Store(c + 16 + 5 * ldc);
            Vector512.FusedMultiplyAdd(c06, va, Vector512.Load(c + 0 + 6 * ldc) * vb).Store(c + 0 + 6 * ldc); Vector512.FusedMultiplyAdd(c16, va, Vector512.Load(c + 8 + 6 * ldc) * vb).Store(c + 8 + 6 * ldc); Vector512.FusedMultiplyAdd(c26, va, Vector512.Load(c + 16 + 6 * ldc) * vb).Store(c + 16 + 6 * ldc);
            Vector512.FusedMultiplyAdd(c07, va, Vector512.Load(c + 0 + 7 * ldc) * vb).Store(c + 0 + 7 * ldc); Vector512.FusedMultiplyAdd(c17, va, Vector512.Load(c + 8 + 7 * ldc) * vb).Store(c + 8 + 7 * ldc); Vector512.FusedMultiplyAdd(c27, va, Vector512.Load(c + 16 + 7 * ldc) * vb).Store(c + 16 + 7 * ldc);
        }
        if (!full) StorePartial(scratch, 24, c, ldc, beta, rows, columns);
    }

    /// <summary>
    /// Where a kernel reading op(B) in place prefetches, or null. A transposed B read in place gives one cache line per
    /// p, each on another page, which no hardware prefetcher follows; the tiles after this one read the lines after it:
    /// fetched into L2 four lines ahead while this tile computes (dZ·Xᵀ of 20×209 by (12288×209)ᵀ, its B 20 MB, ran at
    /// 24–33 GFLOP/s on one Zen 5 core without, 92–97 with). Packed panels and B read down its columns stream on their own;
    /// the 256-bit kernel reads each line of B for several row tiles in turn and gained nothing from it (32.6 against 31.6).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe double* Ahead(double* b, long rowStride, long columnStride) =>
        Sse.IsSupported && columnStride == 1 && rowStride > 8 ? b + 32 : null;

    /// <summary>
    /// The (2·lanes)×6 kernel for 256-bit (8×6) and 128-bit (4×6) registers, written once over
    /// <see cref="ILanes{T}"/>: 12 accumulators held in registers across the whole k loop. Element (p, j) of op(B)
    /// is read at <c>pb[p·rowStride + j·columnStride]</c>: a packed panel (rowStride 6, columnStride 1) or op(B)
    /// where it lies, unpacked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void TwoBySix<TL, T>(int kc, T* pa, T* pb, long rowStride, long columnStride, T* c, int ldc, T alpha, T beta, int rows, int columns, T* scratch)
        where TL : struct, ILanes<TL>, ILanesOf<TL, T> where T : unmanaged, INumber<T>
    {
        int n = TL.Count, mr = 2 * n;
        T* b0 = pb + 0 * columnStride;
        T* b1 = pb + 1 * columnStride;
        T* b2 = pb + 2 * columnStride;
        T* b3 = pb + 3 * columnStride;
        T* b4 = pb + 4 * columnStride;
        T* b5 = pb + 5 * columnStride;
        TL zero = TL.Broadcast(T.Zero);
        TL c00 = zero, c10 = zero, c01 = zero, c11 = zero, c02 = zero, c12 = zero;
        TL c03 = zero, c13 = zero, c04 = zero, c14 = zero, c05 = zero, c15 = zero;
        for (long q = 0, end = kc * rowStride; q != end; q += rowStride)
        {
            var a0 = TL.Load(pa);
            var a1 = TL.Load(pa + n);
            var v0 = TL.Broadcast(b0[q]);
            c00 = TL.Fma(a0, v0, c00); c10 = TL.Fma(a1, v0, c10);
            var v1 = TL.Broadcast(b1[q]);
            c01 = TL.Fma(a0, v1, c01); c11 = TL.Fma(a1, v1, c11);
            var v2 = TL.Broadcast(b2[q]);
            c02 = TL.Fma(a0, v2, c02); c12 = TL.Fma(a1, v2, c12);
            var v3 = TL.Broadcast(b3[q]);
            c03 = TL.Fma(a0, v3, c03); c13 = TL.Fma(a1, v3, c13);
            var v4 = TL.Broadcast(b4[q]);
            c04 = TL.Fma(a0, v4, c04); c14 = TL.Fma(a1, v4, c14);
            var v5 = TL.Broadcast(b5[q]);
            c05 = TL.Fma(a0, v5, c05); c15 = TL.Fma(a1, v5, c15);
            pa += mr;
        }
        bool full = rows == mr && columns == 6;
        T* target = full ? c : scratch;
        int ld = full ? ldc : mr;
        var va = TL.Broadcast(alpha);
        if (!full || beta == T.Zero)
        {
            (c00 * va).Store(target + 0 * ld); (c10 * va).Store(target + n + 0 * ld);
            (c01 * va).Store(target + 1 * ld); (c11 * va).Store(target + n + 1 * ld);
            (c02 * va).Store(target + 2 * ld); (c12 * va).Store(target + n + 2 * ld);
            (c03 * va).Store(target + 3 * ld); (c13 * va).Store(target + n + 3 * ld);
            (c04 * va).Store(target + 4 * ld); (c14 * va).Store(target + n + 4 * ld);
            (c05 * va).Store(target + 5 * ld); (c15 * va).Store(target + n + 5 * ld);
        }
        else
        {
            var vb = TL.Broadcast(beta);
            TL.Fma(c00, va, TL.Load(c + 0 * ldc) * vb).Store(c + 0 * ldc); TL.Fma(c10, va, TL.Load(c + n + 0 * ldc) * vb).Store(c + n + 0 * ldc);
            TL.Fma(c01, va, TL.Load(c + 1 * ldc) * vb).Store(c + 1 * ldc); TL.Fma(c11, va, TL.Load(c + n + 1 * ldc) * vb).Store(c + n + 1 * ldc);
            TL.Fma(c02, va, TL.Load(c + 2 * ldc) * vb).Store(c + 2 * ldc); TL.Fma(c12, va, TL.Load(c + n + 2 * ldc) * vb).Store(c + n + 2 * ldc);
            TL.Fma(c03, va, TL.Load(c + 3 * ldc) * vb).Store(c + 3 * ldc); TL.Fma(c13, va, TL.Load(c + n + 3 * ldc) * vb).Store(c + n + 3 * ldc);
            TL.Fma(c04, va, TL.Load(c + 4 * ldc) * vb).Store(c + 4 * ldc); TL.Fma(c14, va, TL.Load(c + n + 4 * ldc) * vb).Store(c + n + 4 * ldc);
            TL.Fma(c05, va, TL.Load(c + 5 * ldc) * vb).Store(c + 5 * ldc); TL.Fma(c15, va, TL.Load(c + n + 5 * ldc) * vb).Store(c + n + 5 * ldc);
        }
        if (!full) StorePartial(scratch, mr, c, ldc, beta, rows, columns);
    }

    /// <summary>
    /// The (3·lanes)×8 kernel over packed panels (B̃ row by row, 8 wide), written once over <see cref="ILanesOf{TSelf, T}"/>:
    /// 24 accumulators, for 512-bit float lanes (48×8). The double 512-bit path keeps <see cref="Kernel512"/>, which
    /// can also read B in place and was tuned on AVX-512 hardware.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ThreeByEight<TL, T>(int kc, T* pa, T* pb, T* c, int ldc, T alpha, T beta, int rows, int columns, T* scratch)
        where TL : struct, ILanes<TL>, ILanesOf<TL, T> where T : unmanaged, INumber<T>
    {
        int n = TL.Count, mr = 3 * n;
        TL zero = TL.Broadcast(T.Zero);
        TL c00 = zero, c10 = zero, c20 = zero, c01 = zero, c11 = zero, c21 = zero, c02 = zero, c12 = zero, c22 = zero;
        TL c03 = zero, c13 = zero, c23 = zero, c04 = zero, c14 = zero, c24 = zero, c05 = zero, c15 = zero, c25 = zero;
        TL c06 = zero, c16 = zero, c26 = zero, c07 = zero, c17 = zero, c27 = zero;
        for (int p = 0; p < kc; p++, pa += mr, pb += 8)
        {
            var a0 = TL.Load(pa);
            var a1 = TL.Load(pa + n);
            var a2 = TL.Load(pa + 2 * n);
            var v = TL.Broadcast(pb[0]); c00 = TL.Fma(a0, v, c00); c10 = TL.Fma(a1, v, c10); c20 = TL.Fma(a2, v, c20);
            v = TL.Broadcast(pb[1]); c01 = TL.Fma(a0, v, c01); c11 = TL.Fma(a1, v, c11); c21 = TL.Fma(a2, v, c21);
            v = TL.Broadcast(pb[2]); c02 = TL.Fma(a0, v, c02); c12 = TL.Fma(a1, v, c12); c22 = TL.Fma(a2, v, c22);
            v = TL.Broadcast(pb[3]); c03 = TL.Fma(a0, v, c03); c13 = TL.Fma(a1, v, c13); c23 = TL.Fma(a2, v, c23);
            v = TL.Broadcast(pb[4]); c04 = TL.Fma(a0, v, c04); c14 = TL.Fma(a1, v, c14); c24 = TL.Fma(a2, v, c24);
            v = TL.Broadcast(pb[5]); c05 = TL.Fma(a0, v, c05); c15 = TL.Fma(a1, v, c15); c25 = TL.Fma(a2, v, c25);
            v = TL.Broadcast(pb[6]); c06 = TL.Fma(a0, v, c06); c16 = TL.Fma(a1, v, c16); c26 = TL.Fma(a2, v, c26);
            v = TL.Broadcast(pb[7]); c07 = TL.Fma(a0, v, c07); c17 = TL.Fma(a1, v, c17); c27 = TL.Fma(a2, v, c27);
        }
        // A full tile goes straight to C; a partial one through scratch (α applied), then β·C is added. (Every tile through
        // scratch and the scalar copy cost as much as the arithmetic at kc = 64: the mini-batch's dW1 = dZ1·Xᵀ ran at 36 %
        // of the float peak on one core.)
        bool full = rows == mr && columns == 8;
        T* target = full ? c : scratch;
        int ld = full ? ldc : mr;
        var va = TL.Broadcast(alpha);
        if (!full || beta == T.Zero)
        {
            (c00 * va).Store(target + 0 * ld); (c10 * va).Store(target + n + 0 * ld); (c20 * va).Store(target + 2 * n + 0 * ld);
            (c01 * va).Store(target + 1 * ld); (c11 * va).Store(target + n + 1 * ld); (c21 * va).Store(target + 2 * n + 1 * ld);
            (c02 * va).Store(target + 2 * ld); (c12 * va).Store(target + n + 2 * ld); (c22 * va).Store(target + 2 * n + 2 * ld);
            (c03 * va).Store(target + 3 * ld); (c13 * va).Store(target + n + 3 * ld); (c23 * va).Store(target + 2 * n + 3 * ld);
            (c04 * va).Store(target + 4 * ld); (c14 * va).Store(target + n + 4 * ld); (c24 * va).Store(target + 2 * n + 4 * ld);
            (c05 * va).Store(target + 5 * ld); (c15 * va).Store(target + n + 5 * ld); (c25 * va).Store(target + 2 * n + 5 * ld);
            (c06 * va).Store(target + 6 * ld); (c16 * va).Store(target + n + 6 * ld); (c26 * va).Store(target + 2 * n + 6 * ld);
            (c07 * va).Store(target + 7 * ld); (c17 * va).Store(target + n + 7 * ld); (c27 * va).Store(target + 2 * n + 7 * ld);
        }
        else
        {
            var vb = TL.Broadcast(beta);
            StoreColumn(c + 0 * (long)ldc, n, c00, c10, c20, va, vb);
            StoreColumn(c + 1 * (long)ldc, n, c01, c11, c21, va, vb);
            StoreColumn(c + 2 * (long)ldc, n, c02, c12, c22, va, vb);
            StoreColumn(c + 3 * (long)ldc, n, c03, c13, c23, va, vb);
            StoreColumn(c + 4 * (long)ldc, n, c04, c14, c24, va, vb);
            StoreColumn(c + 5 * (long)ldc, n, c05, c15, c25, va, vb);
            StoreColumn(c + 6 * (long)ldc, n, c06, c16, c26, va, vb);
            StoreColumn(c + 7 * (long)ldc, n, c07, c17, c27, va, vb);
        }
        if (!full) StorePartial(scratch, mr, c, ldc, beta, rows, columns);
    }

    /// <summary>One column of a full three-register tile: C := α·acc + β·C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreColumn<TL, T>(T* c, int n, TL acc0, TL acc1, TL acc2, TL alpha, TL beta)
        where TL : struct, ILanes<TL>, ILanesOf<TL, T> where T : unmanaged, INumber<T>
    {
        TL.Fma(acc0, alpha, TL.Load(c) * beta).Store(c);
        TL.Fma(acc1, alpha, TL.Load(c + n) * beta).Store(c + n);
        TL.Fma(acc2, alpha, TL.Load(c + 2 * n) * beta).Store(c + 2 * n);
    }

    /// <summary>The 4×4 scalar kernel, for CPUs without wide FMA vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void KernelScalar<T>(int kc, T* pa, T* pb, T* c, int ldc, T alpha, T beta, int rows, int columns, T* scratch)
        where T : unmanaged, INumber<T>
    {
        T c00 = T.Zero, c10 = T.Zero, c20 = T.Zero, c30 = T.Zero, c01 = T.Zero, c11 = T.Zero, c21 = T.Zero, c31 = T.Zero;
        T c02 = T.Zero, c12 = T.Zero, c22 = T.Zero, c32 = T.Zero, c03 = T.Zero, c13 = T.Zero, c23 = T.Zero, c33 = T.Zero;
        for (int p = 0; p < kc; p++)
        {
            T a0 = pa[0], a1 = pa[1], a2 = pa[2], a3 = pa[3];
            T b0 = pb[0], b1 = pb[1], b2 = pb[2], b3 = pb[3];
            c00 += a0 * b0; c10 += a1 * b0; c20 += a2 * b0; c30 += a3 * b0;
            c01 += a0 * b1; c11 += a1 * b1; c21 += a2 * b1; c31 += a3 * b1;
            c02 += a0 * b2; c12 += a1 * b2; c22 += a2 * b2; c32 += a3 * b2;
            c03 += a0 * b3; c13 += a1 * b3; c23 += a2 * b3; c33 += a3 * b3;
            pa += 4;
            pb += 4;
        }
        T* t = scratch;
        t[0] = c00; t[1] = c10; t[2] = c20; t[3] = c30; t[4] = c01; t[5] = c11; t[6] = c21; t[7] = c31;
        t[8] = c02; t[9] = c12; t[10] = c22; t[11] = c32; t[12] = c03; t[13] = c13; t[14] = c23; t[15] = c33;
        for (int i = 0; i < 16; i++) t[i] *= alpha;
        StorePartial(scratch, MrScalar, c, ldc, beta, rows, columns);
    }

    /// <summary>C[0..rows, 0..columns] := tile + β·C, where the tile already holds α·Ã·B̃; β = 0 never reads C.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe void StorePartial<T>(T* tile, int mr, T* c, int ldc, T beta, int rows, int columns) where T : unmanaged, INumber<T>
    {
        // Column by column in vectors: a ragged tile is a third of the tiles of a 128-row product on the 48-row float
        // kernel, and an element-by-element copy cost more than the tile's arithmetic at a shallow depth.
        for (int j = 0; j < columns; j++)
        {
            var from = new ReadOnlySpan<T>(tile + j * mr, rows);
            var to = new Span<T>(c + (long)j * ldc, rows);
            if (beta == T.Zero) from.CopyTo(to);
            else TensorPrimitives.MultiplyAdd(to, beta, from, to);
        }
    }
}
