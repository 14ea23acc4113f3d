using GraphDiff.Kernels;

namespace GraphDiff.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// Runs <paramref name="body"/>(0), …, <paramref name="body"/>(<paramref name="parts"/> − 1) across the cores, on
    /// the calling thread and the worker threads the built-in kernels use, and returns when every part is done.
    /// </summary>
    /// <remarks>
    /// <para>For an operation's own kernel, split the way the built-in ones are: a part should be a few tens of
    /// microseconds of work or more. The workers spin briefly between jobs, so a training step's many short parallel
    /// kernels do not each wait for a sleeping thread to wake.</para>
    /// <para>Parts may run in any order and on any thread, and while a job runs, a call from another thread (or from
    /// inside a part) runs its parts on its own thread: write each part's result where no other part writes, and sum
    /// in a fixed order, so that the result does not depend on the split. The first exception a part throws is
    /// rethrown here once every part has finished.</para>
    /// </remarks>
    /// <param name="parts">How many parts; 0 or 1 runs on the calling thread.</param>
    /// <param name="body">The work of one part, given its index.</param>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is negative.</exception>
    /// <example><c>TensorMath.ForEachPart(m, j =&gt; MyKernel(x.Column(j), y.Column(j)));</c> runs one example (column) per part.</example>
    public static void ForEachPart(int parts, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (parts < 0) throw new ArgumentOutOfRangeException(nameof(parts), parts, $"TensorMath.ForEachPart: {parts} parts; the count must be 0 or more.");
        KernelThreads.For(parts, body);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(<paramref name="state"/>, 0), …, (<paramref name="state"/>, <paramref name="parts"/> − 1)
    /// across the cores, as <see cref="ForEachPart(int, Action{int})"/> does, without allocating: give a static lambda
    /// (which the compiler creates once) and pass what the parts need in <paramref name="state"/>, a tuple or struct,
    /// instead of capturing it.
    /// </summary>
    /// <remarks>The same rules as <see cref="ForEachPart(int, Action{int})"/>: each part writes its own elements, in
    /// an order that does not depend on the split; the first exception a part throws is rethrown once every part has finished.</remarks>
    /// <typeparam name="TState">What every part reads (copied to each part as it runs).</typeparam>
    /// <param name="parts">How many parts; 0 or 1 runs on the calling thread.</param>
    /// <param name="state">What the parts need: the operands, the sizes.</param>
    /// <param name="body">The work of one part, given the state and the part's index.</param>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is negative.</exception>
    /// <example><c>TensorMath.ForEachPart(m, (x, y), static (s, j) =&gt; MyKernel(s.x.Column(j), s.y.Column(j)));</c> runs one example per part and allocates nothing.</example>
    public static void ForEachPart<TState>(int parts, TState state, Action<TState, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (parts < 0) throw new ArgumentOutOfRangeException(nameof(parts), parts, $"TensorMath.ForEachPart: {parts} parts; the count must be 0 or more.");
        KernelThreads.For(parts, state, body);
    }
}
