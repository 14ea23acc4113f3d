using GraphDiff.Kernels;

namespace GraphDiff.Tests;

/// <summary>
/// Bytes allocated by some work on the calling thread, on the kernel workers (each counts its own, as of the last
/// part it finished), and on every thread of the process: that last figure includes the test host's own threads,
/// which allocate a few hundred bytes a second whatever the test does, so it is reported but not asserted to be 0.
/// Measured over several windows, keeping the one where the caller and the workers allocated least: an allocation at
/// every run is in every window, while a one-off one (a pool growing because another thread rented from it at the
/// same moment) lands in one.
/// </summary>
internal static class Allocations
{
    /// <summary>The quietest of <paramref name="windows"/> runs of <paramref name="work"/>; by the caller's bytes alone when
    /// <paramref name="countWorkers"/> is false (a test that may run beside others, whose jobs the workers run too).</summary>
    public static (long Thread, long Workers, long All) Quietest(Action work, int windows = 5, bool countWorkers = true)
    {
        (long Thread, long Workers, long All) quietest = (long.MaxValue / 4, countWorkers ? long.MaxValue / 4 : 0, 0);
        for (int w = 0; w < windows && quietest.Thread + quietest.Workers > 0; w++)
        {
            long t0 = GC.GetAllocatedBytesForCurrentThread(), k0 = KernelThreads.WorkersAllocatedBytes, a0 = GC.GetTotalAllocatedBytes(precise: true);
            work();
            long a1 = GC.GetTotalAllocatedBytes(precise: true), k1 = KernelThreads.WorkersAllocatedBytes, t1 = GC.GetAllocatedBytesForCurrentThread();
            if (!countWorkers) k1 = k0;
            if (t1 - t0 + k1 - k0 < quietest.Thread + quietest.Workers) quietest = (t1 - t0, k1 - k0, a1 - a0);
        }
        return quietest;
    }
}
