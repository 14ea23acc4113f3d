using System.Buffers;

namespace GraphDiff.Kernels;

/// <summary>
/// Scratch arrays for kernels, reused from call to call. Not <see cref="ArrayPool{T}.Shared"/>: that pool frees its
/// arrays when the collector runs a full collection, so a training step that ran warm without allocating would
/// allocate again after any other part of the process had made garbage. This pool keeps what it holds (at most
/// 16 arrays of each power-of-two size), so a warm plan allocates nothing, whatever else the process does.
/// </summary>
internal static class ScratchPool<T>
{
    public static readonly ArrayPool<T> Shared = ArrayPool<T>.Create(maxArrayLength: 1 << 30, maxArraysPerBucket: 16);
}
