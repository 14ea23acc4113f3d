namespace GraphDiff.Kernels;

/// <summary>Which micro-kernel a matrix product uses.</summary>
internal enum GemmKernel
{
    /// <summary>The widest the CPU runs well: <see cref="Vector512"/> with AVX-512, else <see cref="Vector256"/> with AVX2+FMA, else <see cref="Scalar"/>.</summary>
    Auto,
    /// <summary>Plain scalar code; runs everywhere.</summary>
    Scalar,
    /// <summary>A 8×6 register block of 256-bit FMA vectors (4 doubles each).</summary>
    Vector256,
    /// <summary>A 24×8 register block of 512-bit FMA vectors (8 doubles each).</summary>
    Vector512,
}

/// <summary>How <see cref="Gemm"/> runs a product; the defaults choose by CPU and size.</summary>
internal sealed record GemmOptions
{
    /// <summary>The micro-kernel; <see cref="GemmKernel.Auto"/> picks by CPU.</summary>
    public GemmKernel Kernel { get; init; } = GemmKernel.Auto;

    /// <summary>
    /// Threads for one product: 0 chooses (all cores for products of at least <see cref="ParallelThreshold"/>
    /// multiply-adds, one below); 1 forces a single thread; more forces that many.
    /// </summary>
    public int Threads { get; init; }

    /// <summary>Products with fewer multiply-adds (m·n·k) than this stay on one thread when <see cref="Threads"/> is 0.</summary>
    public long ParallelThreshold { get; init; } = 1L << 21;

    /// <summary>
    /// Products with fewer multiply-adds than this skip packing and use a direct loop (the shallow 2-4-1 network's
    /// products are tiny); set 0 to always pack (tests use it to reach every micro-kernel).
    /// </summary>
    public long DirectThreshold { get; init; } = 24 * 24 * 24;

    /// <summary>The default options.</summary>
    public static GemmOptions Default { get; } = new();
}
