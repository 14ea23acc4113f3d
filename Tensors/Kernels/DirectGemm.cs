using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace GraphDiff.Kernels;

/// <summary>
/// Small products without packing or threads: column by column, as vectorised axpy (op(A) = A) or dot
/// products (op(A) = Aᵀ, whose rows are contiguous columns of A). Below the packing threshold the packing
/// itself would cost more than it saves.
/// </summary>
internal static class DirectGemm
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(GemmOperands<double> o, int i0, int i1, int j0, int j1, int k)
    {
        o.ScaleC(i0, i1, j0, j1);
        int rows = i1 - i0;
        for (int j = j0; j < j1; j++)
        {
            var column = o.C.AsSpan(o.OffsetC + i0 + j * o.Ldc, rows);
            if (!o.TransposeA)
            {
                for (int p = 0; p < k; p++)
                    TensorPrimitives.MultiplyAdd(o.A.AsSpan(o.OffsetA + i0 + p * o.Lda, rows), o.Alpha * o.OpB(p, j), column, column);
            }
            else if (!o.TransposeB)
            {
                var bColumn = o.B.AsSpan(o.OffsetB + j * o.Ldb, k);
                for (int i = 0; i < rows; i++)
                    column[i] += o.Alpha * TensorPrimitives.Dot(o.A.AsSpan(o.OffsetA + (i0 + i) * o.Lda, k), bColumn);
            }
            else
            {
                for (int i = 0; i < rows; i++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++) sum += o.OpA(i0 + i, p) * o.OpB(p, j);
                    column[i] += o.Alpha * sum;
                }
            }
        }
    }
}
