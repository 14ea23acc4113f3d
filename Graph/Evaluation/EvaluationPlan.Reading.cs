using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

// How a run's Evaluation reads its values: the sequence lock that refuses a read after a later run, and the lookup by node.
public sealed partial class EvaluationPlan
{
    private long runs;

    /// <summary>
    /// Reads <paramref name="node"/>'s value for the Evaluation of run <paramref name="run"/>: a sequence lock, so the
    /// result is that run's own or a <see cref="StaleEvaluationException"/>, even when another thread runs the plan
    /// during the read (the run number moves before that run writes anything; checked again after reading).
    /// </summary>
    internal T Read<T>(Node node, long run, Func<Tensor, Node, T> read)
    {
        ThrowIfStale(node, run);
        var result = read(ValueOf(node), node);
        Interlocked.MemoryBarrier();
        ThrowIfStale(node, run);
        return result;
    }

    private void ThrowIfStale(Node node, long run)
    {
        long current = Volatile.Read(ref runs);
        if (current != run) throw new StaleEvaluationException(node, run, current);
    }

    /// <summary>
    /// A copy of a value the plan computed (its buffer is the plan's), or the fed input's or the variable's own
    /// matrix (the user's storage, which the plan only reads).
    /// </summary>
    internal Matrix<double> MatrixOf(Node node, long run) => Read(node, run, (value, n) =>
        SlotOf(n) is var s && s >= 0 && steps[s].Node is Variable or Input ? value.ToMatrix() : value.ToMatrixCopy());

    private int SlotOf(Node node)
    {
        int s = Schedule.SlotOf(node);
        return s < 0 && compilation is not null && compilation.Contains(node) ? Schedule.SlotOf(compilation[node]) : s;
    }

    internal Tensor ValueOf(Node node)
    {
        int s = SlotOf(node);
        if (s >= 0 && (Reusable(steps[s]) || Fused(s)) && NeedsSlot(steps[s].Node))
            throw new ArgumentException($"{node.Label} is an intermediate value of this plan, and its buffer was reused once its last reader had run. " +
                "Add it to the nodes you evaluate, or set ReuseBuffers = false to keep every value.", nameof(node));
        return s >= 0 && values[s].Array is not null
            ? values[s]
            : throw new ArgumentException($"{node.Label} is not an output of this evaluation; add it to the nodes you evaluate.", nameof(node));
    }
}
