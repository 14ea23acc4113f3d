using System.Numerics;
using System.Runtime.InteropServices;

namespace GraphDiff;

/// <summary>
/// Per-channel work on values stored channel-fastest (runs of k channels, one per position), for few channels: one
/// loop over all runs with the channel vector in hand, instead of one library call per run (whose fixed cost dominates
/// when a run is 16 doubles). Each channel is summed in the same order as the per-run calls, so results are identical.
/// </summary>
internal static class ChannelVectors
{
    /// <summary>The most channels these loops take (the accumulators stay on the stack).</summary>
    internal const int Few = 64;

    /// <summary>Adds <paramref name="bias"/> (k values) to every run of k in <paramref name="values"/>.</summary>
    public static void AddToEach<E>(ReadOnlySpan<E> bias, Span<E> values, int k) where E : unmanaged, INumber<E>
    {
        int lanes = Vector<E>.Count, whole = Vector.IsHardwareAccelerated ? k - k % lanes : 0;
        var vectors = MemoryMarshal.Cast<E, Vector<E>>(bias[..whole]);
        for (int j = 0; j + k <= values.Length; j += k)
        {
            var run = values.Slice(j, k);
            var runVectors = MemoryMarshal.Cast<E, Vector<E>>(run[..whole]);
            for (int v = 0; v < vectors.Length; v++) runVectors[v] += vectors[v];
            for (int c = whole; c < k; c++) run[c] += bias[c];
        }
    }

    /// <summary>sum[c] += every run's channel c, runs in storage order (k ≤ <see cref="Few"/>).</summary>
    public static void SumEach<E>(ReadOnlySpan<E> values, Span<E> sum, int k) where E : unmanaged, INumber<E>
    {
        int lanes = Vector<E>.Count, whole = Vector.IsHardwareAccelerated ? k - k % lanes : 0;
        Span<E> accumulators = stackalloc E[Few];
        sum.CopyTo(accumulators);
        var vectors = MemoryMarshal.Cast<E, Vector<E>>(accumulators[..whole]);
        for (int j = 0; j + k <= values.Length; j += k)
        {
            var run = values.Slice(j, k);
            var runVectors = MemoryMarshal.Cast<E, Vector<E>>(run[..whole]);
            for (int v = 0; v < vectors.Length; v++) vectors[v] += runVectors[v];
            for (int c = whole; c < k; c++) accumulators[c] += run[c];
        }
        accumulators[..k].CopyTo(sum);
    }
}
