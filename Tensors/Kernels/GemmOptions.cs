namespace GraphDiff.Kernels;

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
