using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff.Kernels;

/// <summary>
/// Products with one thin side, where packing and the register-blocked kernel cost more than they save: one row
/// of C (the output layer's forward product, dW of a one-unit layer), k = 1 (an outer product, dA of a one-unit
/// layer), and few rows (the course's 2-4-1 network). Each is written so that its inner loop is a contiguous
/// vectorised dot product or axpy, with a strided scalar loop for what is left.
/// </summary>
internal static class ThinGemm
{
    /// <summary>Rows below this take the strided scalar loop: a vector axpy down so short a column is mostly overhead.</summary>
    public const int FewRows = 8;

    /// <summary>Whether <see cref="Run"/> is the right path for op(A)·op(B) of m×k by k×n.</summary>
    public static bool Fits(int m, int n, int k) => m == 1 || k == 1 || m < FewRows;

    /// <summary>C := α·op(A)·op(B) + β·C for the shapes <see cref="Fits"/> accepts (any others are computed correctly, just slowly).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(GemmOperands o, int m, int n, int k)
    {
        o.ScaleC(0, m, 0, n);
        if (m == 1 && (!o.TransposeB || o.Ldc == 1)) { OneRow(o, n, k); return; }
        if (k == 1) { OuterProduct(o, m, n); return; }
        Strided(o, m, n, k);
    }

    /// <summary>C(0, j) += α Σₚ A(0, p)·B(p, j): a dot product per column, or an axpy per row of op(B) when B is transposed.</summary>
    private static void OneRow(GemmOperands o, int n, int k)
    {
        var rented = ArrayPool<double>.Shared.Rent(k);
        var row = rented.AsSpan(0, k);
        for (int p = 0; p < k; p++) row[p] = o.OpA(0, p);
        if (!o.TransposeB)
            for (int j = 0; j < n; j++)
                o.C[o.OffsetC + j * o.Ldc] += o.Alpha * TensorPrimitives.Dot(row, o.B.AsSpan(o.OffsetB + j * o.Ldb, k));
        else
        {
            var c = o.C.AsSpan(o.OffsetC, n);   // one row with Ldc = 1: contiguous
            for (int p = 0; p < k; p++)
                TensorPrimitives.MultiplyAdd(o.B.AsSpan(o.OffsetB + p * o.Ldb, n), o.Alpha * row[p], c, c);
        }
        ArrayPool<double>.Shared.Return(rented);
    }

    /// <summary>C(:, j) += (α·B(0, j))·A(:, 0): one axpy per column.</summary>
    private static void OuterProduct(GemmOperands o, int m, int n)
    {
        var rented = ArrayPool<double>.Shared.Rent(m);
        var column = rented.AsSpan(0, m);
        for (int i = 0; i < m; i++) column[i] = o.OpA(i, 0);
        for (int j = 0; j < n; j++)
        {
            var c = o.C.AsSpan(o.OffsetC + j * o.Ldc, m);
            TensorPrimitives.MultiplyAdd(column, o.Alpha * o.OpB(0, j), c, c);
        }
        ArrayPool<double>.Shared.Return(rented);
    }

    /// <summary>The plain triple loop over strides, for few rows: no call per short column.</summary>
    private static void Strided(GemmOperands o, int m, int n, int k)
    {
        int aRow = o.TransposeA ? o.Lda : 1, aDepth = o.TransposeA ? 1 : o.Lda;
        int bDepth = o.TransposeB ? o.Ldb : 1, bColumn = o.TransposeB ? 1 : o.Ldb;
        double[] a = o.A, b = o.B, c = o.C;
        for (int j = 0; j < n; j++)
        {
            int bj = o.OffsetB + j * bColumn;
            for (int i = 0; i < m; i++)
            {
                int ai = o.OffsetA + i * aRow;
                double sum = 0;
                for (int p = 0; p < k; p++) sum += a[ai + p * aDepth] * b[bj + p * bDepth];
                c[o.OffsetC + i + j * o.Ldc] += o.Alpha * sum;
            }
        }
    }
}
