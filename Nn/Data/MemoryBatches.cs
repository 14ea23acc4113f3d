using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>
/// Mini-batches of data in memory, reshuffled every epoch from a seed; with no batch size (or one of at least m)
/// every batch is the whole data set, uncopied. Batches are gathered into buffers reused every epoch, so an epoch
/// allocates nothing; column-major storage makes each example's copy contiguous.
/// </summary>
public sealed class MemoryBatches : IBatchSource
{
    private readonly Matrix<double>[] data;
    private readonly int size;
    private readonly Random random;
    private readonly int[] order;
    private readonly Dictionary<int, Matrix<double>[]> buffers = new();
    private bool shuffled;

    /// <summary>Batches of <paramref name="batchSize"/> examples (the full batch when null) of <paramref name="data"/>.</summary>
    public MemoryBatches(TrainingData data, int? batchSize = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Examples == 0) throw new ArgumentException("There are no examples to train on: the data has 0 columns (examples are columns).", nameof(data));
        if (batchSize is <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be positive, got {batchSize}.");
        this.data = data.Select(p => p.Value).ToArray();
        Names = data.Select(p => p.Key.Name).ToArray();
        size = Math.Min(batchSize ?? data.Examples, data.Examples);
        random = new Random(seed);
        order = Enumerable.Range(0, data.Examples).ToArray();
        BatchCount = (data.Examples + size - 1) / size;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <inheritdoc />
    public int Examples => order.Length;

    /// <inheritdoc />
    public int BatchCount { get; }

    /// <summary>Draws this epoch's order; the full batch is never shuffled (its cost and gradient do not depend on the order).</summary>
    public void BeginEpoch(int epoch)
    {
        if (size == order.Length) return;
        random.Shuffle(order);
        shuffled = true;
    }

    /// <inheritdoc />
    public IReadOnlyList<Matrix<double>> Batch(int index)
    {
        if (!shuffled) return data;
        int start = index * size, count = Math.Min(size, order.Length - start);
        if (!buffers.TryGetValue(count, out var buffer)) buffers[count] = buffer = Buffers(count);
        for (int k = 0; k < data.Length; k++) Gather(data[k], order.AsSpan(start, count), buffer[k]);
        return buffer;
    }

    // A method of its own: a lambda capturing count in Batch would allocate its closure on every call.
    private Matrix<double>[] Buffers(int count) => data.Select(d => (Matrix<double>)new DenseMatrix(d.RowCount, count)).ToArray();

    private static void Gather(Matrix<double> source, ReadOnlySpan<int> columns, Matrix<double> target)
    {
        var s = Tensor.Of(source);
        var t = Tensor.Of(target);
        for (int k = 0; k < columns.Length; k++) s.Column(columns[k]).CopyTo(t.Column(k));
    }
}
