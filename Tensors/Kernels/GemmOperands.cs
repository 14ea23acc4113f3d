using System.Numerics.Tensors;

namespace GraphDiff.Kernels;

/// <summary>
/// The operands of one product, with element access through op(·) for the packing and direct paths. Each
/// matrix is an array, the index of its element (0, 0) and its leading dimension: views of larger buffers work.
/// </summary>
internal readonly record struct GemmOperands(
    double[] A, int OffsetA, int Lda, bool TransposeA, double[] B, int OffsetB, int Ldb, bool TransposeB,
    double[] C, int OffsetC, int Ldc, double Alpha, double Beta)
{
    /// <summary>op(A)(i, p).</summary>
    public double OpA(int i, int p) => TransposeA ? A[OffsetA + p + i * Lda] : A[OffsetA + i + p * Lda];

    /// <summary>op(B)(p, j).</summary>
    public double OpB(int p, int j) => TransposeB ? B[OffsetB + j + p * Ldb] : B[OffsetB + p + j * Ldb];

    /// <summary>C[i0..i1, j0..j1] := factor·C, writing zeros (not 0·NaN) when the factor is 0.</summary>
    public void ScaleC(double factor, int i0, int i1, int j0, int j1)
    {
        if (factor == 1 || j1 <= j0) return;
        // Whole columns of a contiguous C are one span: one call rather than one per (short) column.
        if (i1 - i0 == Ldc && i0 == 0)
        {
            var block = C.AsSpan(OffsetC + j0 * Ldc, (j1 - j0) * Ldc);
            if (factor == 0) block.Clear();
            else TensorPrimitives.Multiply(block, factor, block);
            return;
        }
        for (int j = j0; j < j1; j++)
        {
            var column = C.AsSpan(OffsetC + i0 + j * Ldc, i1 - i0);
            if (factor == 0) column.Clear();
            else if (factor != 1) TensorPrimitives.Multiply(column, factor, column);
        }
    }

    /// <summary>C[i0..i1, j0..j1] := β·C.</summary>
    public void ScaleC(int i0, int i1, int j0, int j1) => ScaleC(Beta, i0, i1, j0, j1);
}
