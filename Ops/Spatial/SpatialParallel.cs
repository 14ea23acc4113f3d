using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>Work made of independent units [start, end), each computed the same way whichever part runs it.</summary>
internal interface IUnitWork
{
    /// <summary>Computes units <paramref name="start"/> to <paramref name="end"/> (exclusive).</summary>
    void Run(int start, int end);
}

/// <summary>
/// Runs the units of a spatial kernel (an example, or an example's output row) on one core below
/// <see cref="Threshold"/> elements of work, else split in contiguous ranges across cores. Each unit writes its own
/// elements and sums in its own fixed order, so the result is bit-identical whatever the split.
/// </summary>
internal static class SpatialParallel
{
    /// <summary>Below this many elements read, one core does the work (as for elementwise kernels).</summary>
    internal const long Threshold = 1 << 16;

    /// <summary>Runs <paramref name="work"/>'s <paramref name="units"/> units over at most <paramref name="cores"/> cores.</summary>
    public static void For<T>(T work, int units, long workPerUnit, int cores) where T : struct, IUnitWork
    {
        if (units <= 0) return;
        if (cores <= 1 || units < 2 || units * workPerUnit < Threshold) { work.Run(0, units); return; }
        InParallel(work, units, Math.Min(cores, units));
    }

    // A static body over its state: the split allocates nothing.
    private static void InParallel<T>(T work, int units, int parts) where T : struct, IUnitWork =>
        TensorMath.ForEachPart(parts, (work, units, parts), static (s, p) =>
        {
            var (start, length) = WorkSplit.Range(s.units, s.parts, p, alignment: 1);
            if (length > 0) s.work.Run(start, start + length);
        });
}
