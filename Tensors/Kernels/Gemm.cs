using System.Runtime.Intrinsics;
using GraphDiff.Tensors;

namespace GraphDiff.Kernels;

/// <summary>
/// General matrix multiply C := α·op(A)·op(B) + β·C on column-major dense storage (MathNet's
/// <c>DenseMatrix</c> layout), where op transposes when asked without materialising the transpose.
/// Large products are packed into cache-sized panels and computed by a register-blocked FMA micro-kernel
/// (<see cref="GemmKernel"/>), split across cores; small ones take a direct loop with no packing or threads.
/// </summary>
internal static class Gemm
{
    /// <summary>The kernel <see cref="GemmKernel.Auto"/> resolves to on this CPU.</summary>
    public static GemmKernel Best { get; } =
        Vector512.IsHardwareAccelerated ? GemmKernel.Vector512
        : Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported ? GemmKernel.Vector256
        : Vector128.IsHardwareAccelerated && (System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported || System.Runtime.Intrinsics.X86.Fma.IsSupported) ? GemmKernel.Vector128
        : GemmKernel.Scalar;

    /// <summary>C := α·op(A)·op(B) + β·C. With β = 0, C's previous contents are ignored (even NaN).</summary>
    public static void Multiply(double alpha, Tensor a, bool transposeA, Tensor b, bool transposeB, double beta, Tensor c) =>
        Multiply(alpha, a, transposeA, b, transposeB, beta, c, GemmOptions.Default);

    /// <summary>C := α·op(A)·op(B) + β·C with explicit <paramref name="options"/> (kernel, threads). The tensors may be views (any offset and stride).</summary>
    public static void Multiply(double alpha, Tensor a, bool transposeA, Tensor b, bool transposeB, double beta, Tensor c, GemmOptions options)
    {
        int m = transposeA ? a.Columns : a.Rows, k = transposeA ? a.Rows : a.Columns;
        int kb = transposeB ? b.Columns : b.Rows, n = transposeB ? b.Rows : b.Columns;
        if (k != kb || c.Rows != m || c.Columns != n)
            throw new ArgumentException(
                $"Gemm: op(A) is {m}×{k}, op(B) is {kb}×{n} and C is {c.Rows}×{c.Columns}; need op(A) m×k, op(B) k×n, C m×n.");
        // BLAS's rule is a leading dimension of at least max(1, rows): an empty view still has one.
        Run(m, n, k, alpha, a.Array, a.Offset, Math.Max(1, a.Stride), transposeA, b.Array, b.Offset, Math.Max(1, b.Stride), transposeB,
            beta, c.Array, c.Offset, Math.Max(1, c.Stride), options);
    }

    /// <summary>
    /// The array form: op(A) is m×k, op(B) is k×n, C is m×n, each column-major with leading dimension
    /// (rows of the stored matrix) <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/>.
    /// </summary>
    public static void Multiply(int m, int n, int k, double alpha, double[] a, int lda, bool transposeA,
        double[] b, int ldb, bool transposeB, double beta, double[] c, int ldc, GemmOptions options) =>
        Run(m, n, k, alpha, a, 0, lda, transposeA, b, 0, ldb, transposeB, beta, c, 0, ldc, options);

    /// <summary>
    /// The array form with a write-back: <paramref name="finished"/>(part, first, end) is called once for every run of C's
    /// columns as it becomes final (see <see cref="ColumnsFinished"/>).
    /// </summary>
    public static void Multiply(int m, int n, int k, double alpha, double[] a, int offsetA, int lda, bool transposeA,
        double[] b, int offsetB, int ldb, bool transposeB, double beta, double[] c, int offsetC, int ldc, GemmOptions options,
        Action<int, int, int>? finished) =>
        Run(m, n, k, alpha, a, offsetA, lda, transposeA, b, offsetB, ldb, transposeB, beta, c, offsetC, ldc, options, finished);

    private static void Run(int m, int n, int k, double alpha, double[] a, int offsetA, int lda, bool transposeA,
        double[] b, int offsetB, int ldb, bool transposeB, double beta, double[] c, int offsetC, int ldc, GemmOptions options,
        Action<int, int, int>? finished = null)
    {
        if (!Checked(m, n, k, a, offsetA, lda, transposeA, b, offsetB, ldb, transposeB, c, offsetC, ldc, options)) return;
        var operands = new GemmOperands<double>(a, offsetA, lda, transposeA, b, offsetB, ldb, transposeB, c, offsetC, ldc, alpha, beta);
        long work = (long)m * n * k;
        if (k == 0 || alpha == 0) operands.ScaleC(0, m, 0, n);
        else if (options.Kernel == GemmKernel.Auto && ThinGemm.Fits(m, n, k))
        {
            if (ThinGemm.RunSplit(operands, m, n, k, options.Threads > 0 ? options.Threads : ThinGemm.Parts(m, n, k), finished)) return;
        }
        else if (work < options.DirectThreshold) DirectGemm.Run(operands, 0, m, 0, n, k);
        else
        {
            var kernel = options.Kernel == GemmKernel.Auto ? Best : options.Kernel;
            int threads = options.Threads > 0 ? options.Threads
                : work >= options.ParallelThreshold ? Environment.ProcessorCount : 1;
            if (PackedGemm<double>.Run(operands, m, n, k, kernel, threads, finished)) return;
        }
        ColumnsFinished.All(m, n, finished);
    }

    /// <summary>
    /// The float product, for float32 training: C := α·op(A)·op(B) + β·C over arrays with offsets and leading
    /// dimensions, as the double array form. Every size takes the packed path (the double form's thin and direct
    /// paths are double only), split across cores as the double one is.
    /// </summary>
    public static void Multiply(int m, int n, int k, float alpha, float[] a, int offsetA, int lda, bool transposeA,
        float[] b, int offsetB, int ldb, bool transposeB, float beta, float[] c, int offsetC, int ldc, GemmOptions options,
        Action<int, int, int>? finished = null)
    {
        if (!Checked(m, n, k, a, offsetA, lda, transposeA, b, offsetB, ldb, transposeB, c, offsetC, ldc, options)) return;
        var operands = new GemmOperands<float>(a, offsetA, lda, transposeA, b, offsetB, ldb, transposeB, c, offsetC, ldc, alpha, beta);
        if (k == 0 || alpha == 0) operands.ScaleC(0, m, 0, n);
        else
        {
            long work = (long)m * n * k;
            var kernel = options.Kernel == GemmKernel.Auto ? Best : options.Kernel;
            int threads = options.Threads > 0 ? options.Threads
                : work >= options.ParallelThreshold ? Environment.ProcessorCount : 1;
            if (PackedGemm<float>.Run(operands, m, n, k, kernel, threads, finished)) return;
        }
        ColumnsFinished.All(m, n, finished);
    }

    /// <summary>Refuses null, negative sizes and arrays too small for what the sizes say; false when C is empty (nothing to do).</summary>
    private static bool Checked<T>(int m, int n, int k, T[] a, int offsetA, int lda, bool transposeA, T[] b, int offsetB, int ldb, bool transposeB,
        T[] c, int offsetC, int ldc, GemmOptions options)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(options);
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"Gemm: sizes must not be negative (m = {m}, n = {n}, k = {k}).");
        // The packed kernels use raw pointers: check every array covers what the sizes say before touching it.
        CheckStorage("A", a, offsetA, lda, transposeA ? k : m, transposeA ? m : k);
        CheckStorage("B", b, offsetB, ldb, transposeB ? n : k, transposeB ? k : n);
        CheckStorage("C", c, offsetC, ldc, m, n);
        return m > 0 && n > 0;
    }

    private static void CheckStorage<T>(string name, T[] values, int offset, int leading, int rows, int columns)
    {
        if (offset < 0) throw new ArgumentOutOfRangeException(name, $"Gemm: the offset of {name} ({offset}) is negative.");
        if (leading < Math.Max(1, rows))
            throw new ArgumentOutOfRangeException(name, $"Gemm: the leading dimension of {name} ({leading}) is smaller than its {rows} rows.");
        long needed = columns == 0 || rows == 0 ? 0 : offset + (long)leading * (columns - 1) + rows;
        if (values.Length < needed)
            throw new ArgumentException($"Gemm: {name} is stored {rows}×{columns} with leading dimension {leading}, at offset {offset}, which needs {needed} elements, but the array has {values.Length}.", name);
    }
}
