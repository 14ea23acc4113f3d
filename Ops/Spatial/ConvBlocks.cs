using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// How a convolution's work is cut into blocks of output positions, so that a block's patches (its im2col matrix,
/// <see cref="ConvGeometry.PatchLength"/> × block length) stay in cache while the GEMM reads them. Columns are the
/// positions of all examples in storage order, q = e·Positions + p. The blocks depend on the geometry alone, never on
/// the number of threads, so every element is computed by the same products in the same order whatever the split:
/// results are bit-identical on one core or many.
/// </summary>
/// <remarks>
/// Work is handed to threads in groups: when an example has several blocks, a group is one example (its blocks run
/// in order on one thread, so that a transposed convolution adding overlapping patches into the same example adds
/// them in one fixed order); otherwise a group is one block of whole examples.
/// </remarks>
internal readonly record struct ConvBlocks(int Positions, int BlockLength, int BlocksPerExample, int ExamplesPerGroup, int Examples)
{
    /// <summary>Doubles of im2col buffer a block aims at (512 KB: the L2 of a core).</summary>
    internal const int CacheDoubles = 1 << 16;

    /// <summary>Multiply-adds below which a convolution stays on one thread.</summary>
    internal const long ParallelWork = 1L << 20;

    /// <summary>The most threads a convolution uses; tests set 1 to compare against many.</summary>
    internal static int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>The blocks of <paramref name="g"/> over <paramref name="m"/> examples.</summary>
    public static ConvBlocks For(ConvGeometry g, int m)
    {
        // The GEMM of a block stays under its own threading threshold (2²¹ multiply-adds): threads split blocks, not products.
        long target = Math.Min(CacheDoubles / g.PatchLength, (1L << 21) / ((long)g.PatchLength * g.K));
        int length = (int)Math.Max(16, target);
        int p = g.Positions;
        if (p >= length)
        {
            int per = (p + length - 1) / length;
            return new(p, (p + per - 1) / per, per, 1, m);
        }
        return new(p, p, 1, length / p, m);
    }

    /// <summary>Groups of work (see the remarks).</summary>
    public int Groups => (Examples + ExamplesPerGroup - 1) / ExamplesPerGroup;

    /// <summary>Blocks in group <paramref name="group"/>.</summary>
    public int BlocksIn(int group) => BlocksPerExample;

    /// <summary>Block <paramref name="block"/> of group <paramref name="group"/>: its first column q and its column count.</summary>
    public (int Start, int Length) Block(int group, int block)
    {
        int e0 = group * ExamplesPerGroup;
        if (ExamplesPerGroup > 1) return (e0 * Positions, Math.Min(ExamplesPerGroup, Examples - e0) * Positions);
        int p0 = block * BlockLength;
        return (e0 * Positions + p0, Math.Min(BlockLength, Positions - p0));
    }

    /// <summary>The examples of group <paramref name="group"/>, as (first, count).</summary>
    public (int Start, int Count) ExamplesOf(int group) =>
        (group * ExamplesPerGroup, Math.Min(ExamplesPerGroup, Examples - group * ExamplesPerGroup));

    /// <summary>The longest block, in columns.</summary>
    public int MaxBlock => ExamplesPerGroup > 1 ? ExamplesPerGroup * Positions : BlockLength;

    /// <summary>
    /// Runs <paramref name="body"/>(<paramref name="state"/>, part) for parts 0 … <paramref name="parts"/>−1, on
    /// several threads when there are at least two cores and <paramref name="work"/> multiply-adds are worth it; each
    /// part's result must not depend on which thread runs it. A static body over its state allocates nothing.
    /// </summary>
    public static void Run<TState>(int parts, long work, TState state, Action<TState, int> body)
    {
        int threads = Math.Min(MaxThreads, parts);
        if (threads < 2 || work < ParallelWork)
        {
            for (int i = 0; i < parts; i++) body(state, i);
            return;
        }
        TensorMath.ForEachPart(parts, state, body);
    }

    [ThreadStatic] private static double[]? scratch;

    /// <summary>This thread's im2col buffer of at least <paramref name="length"/> doubles, kept for the next call.</summary>
    public static double[] Scratch(int length)
    {
        if (scratch is null || scratch.Length < length) scratch = GC.AllocateUninitializedArray<double>(length);
        return scratch;
    }
}
