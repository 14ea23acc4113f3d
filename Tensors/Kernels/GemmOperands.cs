using System.Numerics;
using System.Numerics.Tensors;

namespace GraphDiff.Kernels;

/// <summary>
/// The operands of one product, with element access through op(·) for the packing and direct paths. Each
/// matrix is an array, the index of its element (0, 0) and its leading dimension: views of larger buffers work.
/// </summary>
/// <remarks>Generic in the element (double, or float for float32 training); the double products take every path,
/// the float ones the packed path.</remarks>
internal readonly record struct GemmOperands<T>(
    T[] A, int OffsetA, int Lda, bool TransposeA, T[] B, int OffsetB, int Ldb, bool TransposeB,
    T[] C, int OffsetC, int Ldc, T Alpha, T Beta) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>op(A)(i, p).</summary>
    public T OpA(int i, int p) => TransposeA ? A[OffsetA + p + i * Lda] : A[OffsetA + i + p * Lda];

    /// <summary>op(B)(p, j).</summary>
    public T OpB(int p, int j) => TransposeB ? B[OffsetB + j + p * Ldb] : B[OffsetB + p + j * Ldb];

    /// <summary>C[i0..i1, j0..j1] := factor·C, writing zeros (not 0·NaN) when the factor is 0.</summary>
    public void ScaleC(T factor, int i0, int i1, int j0, int j1)
    {
        if (factor == T.One || j1 <= j0) return;
        // Whole columns of a contiguous C are one span: one call rather than one per (short) column.
        if (i1 - i0 == Ldc && i0 == 0)
        {
            var block = C.AsSpan(OffsetC + j0 * Ldc, (j1 - j0) * Ldc);
            if (factor == T.Zero) block.Clear();
            else TensorPrimitives.Multiply(block, factor, block);
            return;
        }
        for (int j = j0; j < j1; j++)
        {
            var column = C.AsSpan(OffsetC + i0 + j * Ldc, i1 - i0);
            if (factor == T.Zero) column.Clear();
            else TensorPrimitives.Multiply(column, factor, column);
        }
    }

    /// <summary>C[i0..i1, j0..j1] := β·C.</summary>
    public void ScaleC(int i0, int i1, int j0, int j1) => ScaleC(Beta, i0, i1, j0, j1);
}
