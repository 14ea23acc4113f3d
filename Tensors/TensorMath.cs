using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff.Tensors;

/// <summary>
/// The library's kernels as one public surface, in the spirit of <c>System.Numerics.Tensors.TensorPrimitives</c>:
/// the matrix product (GEMM), vectorised exp, log, σ, tanh and softplus over spans, broadcasting arithmetic over
/// <see cref="Tensor"/> views, and sums over an axis. The built-in operations call exactly these, so a user's
/// operation that calls them is as fast as a built-in.
/// </summary>
/// <remarks>
/// <para>Every method writes into a destination the caller allocated. None keeps state between calls but GEMM's
/// packing scratch, which is per thread (and pooled), so after the first large product on a thread nothing is
/// allocated; all may be called from several threads at once on disjoint destinations.</para>
/// <para>Tensors are column-major rank-2 views (element (i, j) at <c>Array[Offset + i + j·Stride]</c>), so a
/// block of columns or a slot of a larger buffer works without a copy.</para>
/// <para>Aliasing follows <c>TensorPrimitives</c>: a destination may be the very same storage as an operand of its
/// shape (in place), but a partial overlap is refused with <see cref="ArgumentException"/>, since the kernels
/// read and write in blocks and would read values they had already overwritten.</para>
/// <para>A <c>default(Tensor)</c> has no storage: passing one throws <see cref="ArgumentNullException"/>.</para>
/// </remarks>
public static partial class TensorMath
{
    /// <summary>
    /// The general matrix product <c>C = α·op(A)·op(B) + β·C</c>, where op(X) is X or Xᵀ as
    /// <paramref name="transposeA"/> and <paramref name="transposeB"/> say (the transpose is read in place, never
    /// copied). op(A) is m×k, op(B) is k×n and <paramref name="c"/> is m×n; all three may be views with any
    /// offset and stride.
    /// </summary>
    /// <remarks>
    /// <para>With <paramref name="beta"/> = 0, what C held is ignored, NaN and ∞ included (it is not multiplied by
    /// 0); with k = 0 or <paramref name="alpha"/> = 0, C becomes β·C. An empty C (m = 0 or n = 0) is left as it is.</para>
    /// <para>The path is chosen by size and CPU: products with a thin side, a direct vectorised loop for small ones,
    /// and for large ones cache-sized packed panels through a register-blocked FMA micro-kernel (AVX-512, AVX2+FMA,
    /// 128-bit, or scalar), split across cores above about 2·10⁶ multiply-adds. The order of summation differs by
    /// path, so an element can differ from a naive triple loop by a few ulps times k (relative to Σ|a·b|).</para>
    /// <para><paramref name="c"/> must not overlap <paramref name="a"/> or <paramref name="b"/>.</para>
    /// </remarks>
    /// <param name="a">A, stored m×k (or k×m when <paramref name="transposeA"/>).</param>
    /// <param name="b">B, stored k×n (or n×k when <paramref name="transposeB"/>).</param>
    /// <param name="c">C, m×n: read when <paramref name="beta"/> ≠ 0, then overwritten with the result.</param>
    /// <param name="transposeA">Use Aᵀ.</param>
    /// <param name="transposeB">Use Bᵀ.</param>
    /// <param name="alpha">The product's factor α.</param>
    /// <param name="beta">C's factor β.</param>
    /// <exception cref="ArgumentNullException">A tensor is <c>default</c>.</exception>
    /// <exception cref="ArgumentException">The shapes do not fit (the message gives every shape), or C overlaps A or B.</exception>
    /// <example><c>TensorMath.MatrixMultiply(dZ, a, dW, transposeB: true, alpha: 1.0 / m);</c> is dW = 1/m · dZ·Aᵀ.</example>
    public static void MatrixMultiply(Tensor a, Tensor b, Tensor c, bool transposeA = false, bool transposeB = false, double alpha = 1.0, double beta = 0.0)
    {
        CheckProduct<double>(a, b, c, transposeA, transposeB);
        Gemm.Multiply(alpha, a, transposeA, b, transposeB, beta, c);
    }

    /// <summary>
    /// <c>C = α·op(A)·op(B)</c> with a write-back: <paramref name="columnsFinished"/>(part, first, end) is called for each
    /// run of C's columns [first, end) as soon as it is final, while those columns are still in the cache, so that
    /// elementwise work on the result (a bias and an activation, a derivative's mask: a GEMM epilogue) costs no pass of
    /// its own over memory. Same shapes, rules and results as
    /// <see cref="MatrixMultiply(Tensor, Tensor, Tensor, bool, bool, double, double)"/> with β = 0.
    /// </summary>
    /// <remarks>Every column is reported exactly once before the method returns (nothing when C is empty). Runs may be
    /// reported at once on different threads, told apart by <c>part</c> (0 ≤ part &lt; <see cref="Environment.ProcessorCount"/>):
    /// two calls with the same part never overlap, so scratch kept per part needs no lock. A call may touch only its own
    /// columns of C while the product runs.</remarks>
    /// <param name="a">A, stored m×k (or k×m when <paramref name="transposeA"/>).</param>
    /// <param name="b">B, stored k×n (or n×k when <paramref name="transposeB"/>).</param>
    /// <param name="c">C, m×n, overwritten with the result.</param>
    /// <param name="transposeA">Use Aᵀ.</param>
    /// <param name="transposeB">Use Bᵀ.</param>
    /// <param name="alpha">The product's factor α.</param>
    /// <param name="columnsFinished">Called with (part, first column, end column) for each run of final columns.</param>
    /// <exception cref="ArgumentNullException">A tensor is <c>default</c>, or <paramref name="columnsFinished"/> is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not fit (the message gives every shape), or C overlaps A or B.</exception>
    public static void MatrixMultiply(Tensor a, Tensor b, Tensor c, bool transposeA, bool transposeB, double alpha, Action<int, int, int> columnsFinished)
    {
        ArgumentNullException.ThrowIfNull(columnsFinished);
        var (m, n, k) = CheckProduct<double>(a, b, c, transposeA, transposeB);
        Gemm.Multiply(m, n, k, alpha, a.Array, a.Offset, Math.Max(1, a.Stride), transposeA, b.Array, b.Offset, Math.Max(1, b.Stride), transposeB,
            0, c.Array, c.Offset, Math.Max(1, c.Stride), GemmOptions.Default, columnsFinished);
    }

    /// <summary>Refuses a product whose shapes do not fit or whose C overlaps A or B, naming every shape; returns (m, n, k).</summary>
    private static (int M, int N, int K) CheckProduct<T>(Tensor<T> a, Tensor<T> b, Tensor<T> c, bool transposeA, bool transposeB)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        RequireStorage(a, nameof(a));
        RequireStorage(b, nameof(b));
        RequireStorage(c, nameof(c));
        int m = transposeA ? a.Columns : a.Rows, k = transposeA ? a.Rows : a.Columns;
        int kb = transposeB ? b.Columns : b.Rows, n = transposeB ? b.Rows : b.Columns;
        if (k != kb)
            throw new ArgumentException(
                $"TensorMath.MatrixMultiply: A is {Describe(a, transposeA)} and B is {Describe(b, transposeB)}; op(A) has {k} columns but op(B) has {kb} rows.", nameof(b));
        if (c.Rows != m || c.Columns != n)
            throw new ArgumentException(
                $"TensorMath.MatrixMultiply: A is {Describe(a, transposeA)} and B is {Describe(b, transposeB)}, so C must be {m}×{n}, but it is {c.Rows}×{c.Columns}.", nameof(c));
        if (Overlap(c, a) || Overlap(c, b))
            throw new ArgumentException($"TensorMath.MatrixMultiply: C ({c.Rows}×{c.Columns}) shares storage with {(Overlap(c, a) ? "A" : "B")}; the product must be written elsewhere.", nameof(c));
        return (m, n, k);
    }

    private static string Describe<T>(Tensor<T> t, bool transposed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        transposed ? $"{t.Rows}×{t.Columns} (used transposed, {t.Columns}×{t.Rows})" : $"{t.Rows}×{t.Columns}";

    private static void RequireStorage<T>(Tensor<T> t, string name) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (t.Array is null) throw new ArgumentNullException(name, "A default(Tensor) has no storage.");
    }

    private static void RequireStorage(Tensor t, string name) => RequireStorage<double>(t, name);

    /// <summary>Whether the two views share any element's storage, judged by the span from each one's first to last element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Overlap<T>(in Tensor<T> x, in Tensor<T> y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (!ReferenceEquals(x.Array, y.Array) || x.Length == 0 || y.Length == 0) return false;
        return x.Offset < End(y) && y.Offset < End(x);
    }

    private static bool Overlap(in Tensor x, in Tensor y) => Overlap<double>(x, y);

    private static long End<T>(in Tensor<T> t) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => t.Offset + (long)t.Stride * (t.Columns - 1) + t.Rows;

    /// <summary>Whether the two views are the same elements in the same places (an in-place call).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SameView(in Tensor x, in Tensor y) => SameView<double>(x, y);

    private static bool SameView<T>(in Tensor<T> x, in Tensor<T> y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        ReferenceEquals(x.Array, y.Array) && x.Offset == y.Offset && x.Rows == y.Rows && x.Columns == y.Columns
        && (x.Stride == y.Stride || x.Columns <= 1);
}
