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

    /// <summary>
    /// Parts for a thin product of m×k by k×n: one per core when it touches many elements and C has many columns (the
    /// deep network's output layer, W3·A2 of 1×64 by 64×8000 and its outer product W3ᵀ·dZ3, read or write 4 MB, and
    /// ran at a core's memory bandwidth), else one.
    /// </summary>
    public static int Parts(int m, int n, int k) =>
        n >= 2 * MinPartColumns && (long)n * (m + k) >= ColumnsFinished.ParallelElements ? Environment.ProcessorCount : 1;

    /// <summary>A part's fewest columns: wide enough that every part takes the path the whole product would.</summary>
    private const int MinPartColumns = 64;

    /// <summary>
    /// C := α·op(A)·op(B) + β·C in <paramref name="parts"/> ranges of C's columns, each computed and reported to
    /// <paramref name="finished"/> in runs of about <see cref="ColumnsFinished.Elements"/>, so the caller reads them from
    /// the cache; returns whether they were reported. Range bounds fall on multiples of 64 columns, and each column is
    /// summed in the same order whatever the split, so the bits do not depend on the parts.
    /// </summary>
    public static bool RunSplit(GemmOperands<double> o, int m, int n, int k, int parts, Action<int, int, int>? finished)
    {
        parts = Math.Min(parts, n / MinPartColumns);
        if (parts <= 1 && finished is null) { Run(o, m, n, k); return false; }
        var split = (O: o, M: m, N: n, K: k, Parts: Math.Max(1, parts), Finished: finished);
        if (split.Parts == 1) RunPart(split, 0);
        else KernelThreads.For(split.Parts, split, RunPart);
        return true;
    }

    private static void RunPart((GemmOperands<double> O, int M, int N, int K, int Parts, Action<int, int, int>? Finished) s, int t)
    {
        int units = s.N / MinPartColumns;
        int j0 = (int)((long)units * t / s.Parts) * MinPartColumns;
        int j1 = t == s.Parts - 1 ? s.N : (int)((long)units * (t + 1) / s.Parts) * MinPartColumns;
        int run = s.Finished is null ? j1 - j0 : Math.Max(1, ColumnsFinished.Elements / Math.Max(1, s.M) / MinPartColumns) * MinPartColumns;
        for (int j = j0, end; j < j1; j = end)
        {
            end = j1 - (j + run) < MinPartColumns ? j1 : j + run;   // no run of fewer than 64 columns: each takes the whole's path
            var part = s.O with { OffsetB = s.O.OffsetB + (s.O.TransposeB ? j : j * s.O.Ldb), OffsetC = s.O.OffsetC + j * s.O.Ldc };
            Run(part, s.M, end - j, s.K);
            s.Finished?.Invoke(t, j, end);
        }
    }

    /// <summary>C := α·op(A)·op(B) + β·C for the shapes <see cref="Fits"/> accepts (any others are computed correctly, just slowly).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(GemmOperands<double> o, int m, int n, int k)
    {
        o.ScaleC(0, m, 0, n);
        // One row of C against a transposed B with few columns (dW2 = dZ2·A1ᵀ of a 4-unit layer) is Cᵀ = B·op(A)ᵀ:
        // few rows, each column of B one register, rather than an axpy of n elements per p.
        if (m == 1 && o.TransposeB && o.Ldc == 1 && n < FewRows && n > 1 && LaneWidth.Current >= 128)
        {
            var swapped = new GemmOperands<double>(o.B, o.OffsetB, o.Ldb, false, o.A, o.OffsetA, o.Lda, !o.TransposeA, o.C, o.OffsetC, n, o.Alpha, 1);
            Run(swapped, n, 1, k);
            return;
        }
        if (m == 1 && (!o.TransposeB || o.Ldc == 1)) { OneRow(o, n, k); return; }
        // The narrowest registers that hold a column of C: m = 4 is one 256-bit register, m = 2 one 128-bit one. A column
        // of C in one register takes those, an outer product too (an axpy call per column of four was 2 ns).
        int width = LaneWidth.Current;
        if (k == 1 && !(width >= 128 && (m == 2 || m == 4))) { OuterProduct(o, m, n); return; }
        if (width >= 128 && m <= 2) { Columns<Lanes128>(o, m, n, k); return; }
        if (width >= 256 && m <= 4) { Columns<Lanes256>(o, m, n, k); return; }
        if (width == 512) { Columns<Lanes512>(o, m, n, k); return; }
        if (width == 256) { Columns<Lanes256>(o, m, n, k); return; }
        if (width == 128) { Columns<Lanes128>(o, m, n, k); return; }
        Strided(o, m, n, k);
    }

    /// <summary>C(0, j) += α Σₚ A(0, p)·B(p, j): a dot product per column, or an axpy per row of op(B) when B is transposed.</summary>
    private static unsafe void OneRow(GemmOperands<double> o, int n, int k)
    {
        var rented = ScratchPool<double>.Shared.Rent(k);
        var row = rented.AsSpan(0, k);
        for (int p = 0; p < k; p++) row[p] = o.OpA(0, p);
        if (!o.TransposeB && k < FewRows)
        {
            // A few terms per column (W2·A1 of a 4-unit layer): summed in place, not by a call per column, through
            // pointers (a span and two array indexings per column of four terms were most of its 0.9 µs for 400 columns).
            fixed (double* r = row, bBase = o.B, cBase = o.C)
            {
                double* b = bBase + o.OffsetB, c = cBase + o.OffsetC;
                for (int j = 0; j < n; j++, b += o.Ldb, c += o.Ldc)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++) sum += r[p] * b[p];
                    *c += o.Alpha * sum;
                }
            }
        }
        else if (!o.TransposeB)
            for (int j = 0; j < n; j++)
                o.C[o.OffsetC + j * o.Ldc] += o.Alpha * TensorPrimitives.Dot(row, o.B.AsSpan(o.OffsetB + j * o.Ldb, k));
        else
        {
            var c = o.C.AsSpan(o.OffsetC, n);   // one row with Ldc = 1: contiguous
            for (int p = 0; p < k; p++)
                TensorPrimitives.MultiplyAdd(o.B.AsSpan(o.OffsetB + p * o.Ldb, n), o.Alpha * row[p], c, c);
        }
        ScratchPool<double>.Shared.Return(rented);
    }

    /// <summary>C(:, j) += (α·B(0, j))·A(:, 0): one axpy per column.</summary>
    private static void OuterProduct(GemmOperands<double> o, int m, int n)
    {
        var rented = ScratchPool<double>.Shared.Rent(m);
        var column = rented.AsSpan(0, m);
        for (int i = 0; i < m; i++) column[i] = o.OpA(i, 0);
        for (int j = 0; j < n; j++)
        {
            var c = o.C.AsSpan(o.OffsetC + j * o.Ldc, m);
            TensorPrimitives.MultiplyAdd(column, o.Alpha * o.OpB(0, j), c, c);
        }
        ScratchPool<double>.Shared.Return(rented);
    }

    /// <summary>
    /// Few rows (the course's 2-4-1 network: W1·X is 4×2 by 2×400): each column of C is held in registers,
    /// C(:, j) = α Σₚ op(A)(:, p)·op(B)(p, j), op(B)(p, j) broadcast. op(A)'s columns are read in place when they
    /// fill whole registers (A not transposed, m a multiple of the width), else copied once, padded with zeros.
    /// Four accumulators take turns over p, so a long k is not one chain of dependent multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Columns<T>(GemmOperands<double> o, int m, int n, int k) where T : struct, ILanes<T>, ILanesOf<T, double>
    {
        int registers = (m + T.Count - 1) / T.Count, padded = registers * T.Count;
        bool inPlace = !o.TransposeA && padded == m;
        double[]? rented = null;
        if (!inPlace)
        {
            rented = ScratchPool<double>.Shared.Rent(k * padded);
            for (int p = 0; p < k; p++)
                for (int i = 0; i < padded; i++) rented[p * padded + i] = i < m ? o.OpA(i, p) : 0;
        }
        double* column = stackalloc double[padded];
        var alpha = T.Splat(o.Alpha);
        int bStep = o.TransposeB ? o.Ldb : 1, bColumn = o.TransposeB ? 1 : o.Ldb;
        fixed (double* aBase = inPlace ? o.A : rented, bBase = o.B, cBase = o.C)
        {
            double* a0 = inPlace ? aBase + o.OffsetA : aBase;
            int aStep = inPlace ? o.Lda : padded;
            if (registers == 1 && padded == m && k <= 3)
            {
                ShallowColumns<T>(a0, aStep, k, bBase + o.OffsetB, bStep, bColumn, cBase + o.OffsetC, o.Ldc, n, alpha);
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    double* bj = bBase + o.OffsetB + (long)j * bColumn;
                    double* cj = cBase + o.OffsetC + (long)j * o.Ldc;
                    for (int r = 0; r < registers; r++)
                    {
                        double* a = a0 + r * T.Count;
                        T s0 = T.Splat(0), s1 = s0, s2 = s0, s3 = s0;
                        int p = 0;
                        for (; p + 4 <= k; p += 4)
                        {
                            s0 = T.Fma(T.Load(a + (long)p * aStep), T.Splat(bj[(long)p * bStep]), s0);
                            s1 = T.Fma(T.Load(a + (long)(p + 1) * aStep), T.Splat(bj[(long)(p + 1) * bStep]), s1);
                            s2 = T.Fma(T.Load(a + (long)(p + 2) * aStep), T.Splat(bj[(long)(p + 2) * bStep]), s2);
                            s3 = T.Fma(T.Load(a + (long)(p + 3) * aStep), T.Splat(bj[(long)(p + 3) * bStep]), s3);
                        }
                        for (; p < k; p++) s0 = T.Fma(T.Load(a + (long)p * aStep), T.Splat(bj[(long)p * bStep]), s0);
                        var sum = (s0 + s1 + (s2 + s3)) * alpha;
                        if (padded == m) (T.Load(cj + r * T.Count) + sum).Store(cj + r * T.Count);
                        else sum.Store(column + r * T.Count);
                    }
                    if (padded != m)
                        for (int i = 0; i < m; i++) cj[i] += column[i];
                }
            }
        }
        if (rented is not null) ScratchPool<double>.Shared.Return(rented);
    }

    /// <summary>
    /// C(:, j) += α Σₚ A(:, p)·B(p, j) for a column of C in one register and k ≤ 3 (the 2-4-1 network's W1·X and W2ᵀ·dZ2):
    /// A's columns held in registers across all of C's, each column one to three multiply-adds (the general loop set up its
    /// four sums and its depth loop per column: 3.6 ns a column). The same operations in the same order as that loop's tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ShallowColumns<T>(double* a, int aStep, int k, double* b, int bStep, int bColumn, double* c, int ldc, int n, T alpha)
        where T : struct, ILanes<T>, ILanesOf<T, double>
    {
        T zero = T.Splat(0), a0 = T.Load(a), a1 = k > 1 ? T.Load(a + aStep) : zero, a2 = k > 2 ? T.Load(a + 2L * aStep) : zero;
        for (int j = 0; j < n; j++, b += bColumn, c += ldc)
        {
            T s = T.Fma(a0, T.Splat(b[0]), zero);
            if (k > 1) s = T.Fma(a1, T.Splat(b[bStep]), s);
            if (k > 2) s = T.Fma(a2, T.Splat(b[2L * bStep]), s);
            (T.Load(c) + s * alpha).Store(c);
        }
    }

    /// <summary>The plain triple loop over strides, for few rows without vectors: no call per short column.</summary>
    private static void Strided(GemmOperands<double> o, int m, int n, int k)
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
