using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>
/// The register width the vectorised kernels run at: the widest the CPU accelerates unless forced, so that
/// tests and the benchmark can run every path (512, 256 and 128 bits, and one lane) on one machine. Every width
/// gives the same bits for the elementwise kernels.
/// </summary>
internal static class LaneWidth
{
    /// <summary>The widest accelerated width: 512 with AVX-512, 256 with AVX2, 128 with ARM64 AdvSimd or SSE, else 64 (one lane).</summary>
    public static int Native { get; } =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 64;

    private static int forced;

    /// <summary>The width in use: <see cref="Native"/>, or what <see cref="Force"/> set.</summary>
    public static int Current => forced == 0 ? Native : forced;

    /// <summary>Runs the kernels at <paramref name="bits"/> (512, 256, 128 or 64) until the scope is disposed; process-wide, for tests and benchmarks.</summary>
    public static IDisposable Force(int bits)
    {
        if (bits is not (512 or 256 or 128 or 64)) throw new ArgumentOutOfRangeException(nameof(bits), $"Lane widths are 512, 256, 128 or 64 bits, not {bits}.");
        int previous = forced;
        forced = bits;
        return new Restore(previous);
    }

    private sealed class Restore(int previous) : IDisposable
    {
        public void Dispose() => forced = previous;
    }
}
