namespace GraphDiff.Kernels;

/// <summary>
/// A product's write-back: runs of C's columns reported as they become final, <c>finished(part, first, end)</c>, so the
/// caller can work on them while they are still in the cache (a bias and an activation, a derivative's mask: a GEMM
/// epilogue). Every column is reported exactly once before the product returns; runs of different parts may be
/// reported at once on different threads, never two of the same part.
/// </summary>
internal static class ColumnsFinished
{
    /// <summary>
    /// A run is reported once it has about this many elements (32 KB of doubles): small enough to be in L1 or L2 while
    /// the caller reads it, large enough that the caller's per-call cost is small beside its work.
    /// </summary>
    public const int Elements = 4096;

    /// <summary>C's size from which <see cref="All"/> reports its columns in one part per core rather than in one run.</summary>
    public const long ParallelElements = 1 << 17;

    /// <summary>
    /// Reports all <paramref name="n"/> columns of an m×n C after a product that could not report them as it went (a
    /// thin or direct product, or one whose threads split C's rows): in one part per core when C is large.
    /// </summary>
    public static void All(int m, int n, Action<int, int, int>? finished)
    {
        if (finished is null || n == 0) return;
        int parts = (long)m * n >= ParallelElements ? Math.Min(Environment.ProcessorCount, n) : 1;
        if (parts <= 1) { finished(0, 0, n); return; }
        KernelThreads.For(parts, (Finished: finished, N: n, Parts: parts), static (s, t) =>
            s.Finished(t, (int)((long)s.N * t / s.Parts), (int)((long)s.N * (t + 1) / s.Parts)));
    }
}
