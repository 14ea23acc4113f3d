using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>
/// The last row panel of a product whose rows are not a multiple of the 24-row Vector512 tile (128 = 5·24 + 8): 8 or 16
/// rows computed as such, one or two registers by eight columns, not as 24 rows of which the rest are the panel's zero
/// padding (an eleventh of the arithmetic of the deep step's two large products, whose 128 rows are five tiles and a
/// third). Reads the panels <see cref="MicroKernels.Kernel512"/> reads: Ã with 24 rows per p, B̃ packed or in place.
/// </summary>
internal static class NarrowKernel512
{
    /// <summary>C[tile] := α·Ã·B̃ + β·C[tile] for a tile of at most 16 rows (<paramref name="rows"/>), as <see cref="MicroKernels.Kernel512"/>.</summary>
    public static unsafe void Run(int kc, double* pa, double* pb, long rowStride, long columnStride, double* c, int ldc, double alpha, double beta, int rows, int columns, double* scratch)
    {
        if (rows <= 8) One(kc, pa, pb, rowStride, columnStride, c, ldc, alpha, beta, rows, columns, scratch);
        else Two(kc, pa, pb, rowStride, columnStride, c, ldc, alpha, beta, rows, columns, scratch);
    }

    // Written out twice, as the other kernels: one generic body with the second register behind a type test spilled
    // every accumulator to the stack on each p (the JIT's register allocator does not see through it).

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void One(int kc, double* pa, double* pb, long rowStride, long columnStride, double* c, int ldc, double alpha, double beta, int rows, int columns, double* scratch)
    {
        double* b0 = pb, b1 = pb + columnStride, b2 = pb + 2 * columnStride, b3 = pb + 3 * columnStride;
        double* b4 = pb + 4 * columnStride, b5 = pb + 5 * columnStride, b6 = pb + 6 * columnStride, b7 = pb + 7 * columnStride;
        var c0 = Vector512<double>.Zero; var c1 = Vector512<double>.Zero; var c2 = Vector512<double>.Zero; var c3 = Vector512<double>.Zero;
        var c4 = Vector512<double>.Zero; var c5 = Vector512<double>.Zero; var c6 = Vector512<double>.Zero; var c7 = Vector512<double>.Zero;
        for (long q = 0, end = kc * rowStride; q != end; q += rowStride)
        {
            var a = Vector512.Load(pa);
            c0 = Vector512.FusedMultiplyAdd(a, Vector512.Create(b0[q]), c0); c1 = Vector512.FusedMultiplyAdd(a, Vector512.Create(b1[q]), c1);
            c2 = Vector512.FusedMultiplyAdd(a, Vector512.Create(b2[q]), c2); c3 = Vector512.FusedMultiplyAdd(a, Vector512.Create(b3[q]), c3);
            c4 = Vector512.FusedMultiplyAdd(a, Vector512.Create(b4[q]), c4); c5 = Vector512.FusedMultiplyAdd(a, Vector512.Create(b5[q]), c5);
            c6 = Vector512.FusedMultiplyAdd(a, Vector512.Create(b6[q]), c6); c7 = Vector512.FusedMultiplyAdd(a, Vector512.Create(b7[q]), c7);
            pa += MicroKernels.Mr512;
        }
        bool full = rows == 8 && columns == 8, addC = full && beta != 0;
        double* t = full ? c : scratch;
        long ld = full ? ldc : MicroKernels.Mr512;
        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        Put(t, c0, va, vb, addC); Put(t + ld, c1, va, vb, addC); Put(t + 2 * ld, c2, va, vb, addC); Put(t + 3 * ld, c3, va, vb, addC);
        Put(t + 4 * ld, c4, va, vb, addC); Put(t + 5 * ld, c5, va, vb, addC); Put(t + 6 * ld, c6, va, vb, addC); Put(t + 7 * ld, c7, va, vb, addC);
        if (!full) MicroKernels.StorePartial(scratch, MicroKernels.Mr512, c, ldc, beta, rows, columns);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Two(int kc, double* pa, double* pb, long rowStride, long columnStride, double* c, int ldc, double alpha, double beta, int rows, int columns, double* scratch)
    {
        double* b0 = pb, b1 = pb + columnStride, b2 = pb + 2 * columnStride, b3 = pb + 3 * columnStride;
        double* b4 = pb + 4 * columnStride, b5 = pb + 5 * columnStride, b6 = pb + 6 * columnStride, b7 = pb + 7 * columnStride;
        var c00 = Vector512<double>.Zero; var c01 = Vector512<double>.Zero; var c02 = Vector512<double>.Zero; var c03 = Vector512<double>.Zero;
        var c04 = Vector512<double>.Zero; var c05 = Vector512<double>.Zero; var c06 = Vector512<double>.Zero; var c07 = Vector512<double>.Zero;
        var c10 = Vector512<double>.Zero; var c11 = Vector512<double>.Zero; var c12 = Vector512<double>.Zero; var c13 = Vector512<double>.Zero;
        var c14 = Vector512<double>.Zero; var c15 = Vector512<double>.Zero; var c16 = Vector512<double>.Zero; var c17 = Vector512<double>.Zero;
        for (long q = 0, end = kc * rowStride; q != end; q += rowStride)
        {
            var a0 = Vector512.Load(pa);
            var a1 = Vector512.Load(pa + 8);
            var v = Vector512.Create(b0[q]); c00 = Vector512.FusedMultiplyAdd(a0, v, c00); c10 = Vector512.FusedMultiplyAdd(a1, v, c10);
            v = Vector512.Create(b1[q]); c01 = Vector512.FusedMultiplyAdd(a0, v, c01); c11 = Vector512.FusedMultiplyAdd(a1, v, c11);
            v = Vector512.Create(b2[q]); c02 = Vector512.FusedMultiplyAdd(a0, v, c02); c12 = Vector512.FusedMultiplyAdd(a1, v, c12);
            v = Vector512.Create(b3[q]); c03 = Vector512.FusedMultiplyAdd(a0, v, c03); c13 = Vector512.FusedMultiplyAdd(a1, v, c13);
            v = Vector512.Create(b4[q]); c04 = Vector512.FusedMultiplyAdd(a0, v, c04); c14 = Vector512.FusedMultiplyAdd(a1, v, c14);
            v = Vector512.Create(b5[q]); c05 = Vector512.FusedMultiplyAdd(a0, v, c05); c15 = Vector512.FusedMultiplyAdd(a1, v, c15);
            v = Vector512.Create(b6[q]); c06 = Vector512.FusedMultiplyAdd(a0, v, c06); c16 = Vector512.FusedMultiplyAdd(a1, v, c16);
            v = Vector512.Create(b7[q]); c07 = Vector512.FusedMultiplyAdd(a0, v, c07); c17 = Vector512.FusedMultiplyAdd(a1, v, c17);
            pa += MicroKernels.Mr512;
        }
        bool full = rows == 16 && columns == 8, addC = full && beta != 0;
        double* t = full ? c : scratch;
        long ld = full ? ldc : MicroKernels.Mr512;
        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        Put(t, c00, va, vb, addC); Put(t + ld, c01, va, vb, addC); Put(t + 2 * ld, c02, va, vb, addC); Put(t + 3 * ld, c03, va, vb, addC);
        Put(t + 4 * ld, c04, va, vb, addC); Put(t + 5 * ld, c05, va, vb, addC); Put(t + 6 * ld, c06, va, vb, addC); Put(t + 7 * ld, c07, va, vb, addC);
        t += 8;
        Put(t, c10, va, vb, addC); Put(t + ld, c11, va, vb, addC); Put(t + 2 * ld, c12, va, vb, addC); Put(t + 3 * ld, c13, va, vb, addC);
        Put(t + 4 * ld, c14, va, vb, addC); Put(t + 5 * ld, c15, va, vb, addC); Put(t + 6 * ld, c16, va, vb, addC); Put(t + 7 * ld, c17, va, vb, addC);
        if (!full) MicroKernels.StorePartial(scratch, MicroKernels.Mr512, c, ldc, beta, rows, columns);
    }

    /// <summary>One register of C: α·acc, plus β·C when <paramref name="addC"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Put(double* at, Vector512<double> acc, Vector512<double> alpha, Vector512<double> beta, bool addC) =>
        (addC ? Vector512.FusedMultiplyAdd(acc, alpha, Vector512.Load(at) * beta) : acc * alpha).Store(at);
}
