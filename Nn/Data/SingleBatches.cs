using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using SingleTensor = GraphDiff.Tensors.Tensor<float>;

namespace GraphDiff.Nn;

/// <summary>
/// Mini-batches of float32 data in memory, as <see cref="MemoryBatches"/> serves double data: reshuffled every epoch
/// from a seed, gathered into buffers reused every epoch (the full batch is the data itself, uncopied). A float32
/// training run reads them as they are (<see cref="IBatchSource.SingleBatch"/>), so data read as float
/// (<see cref="IdxFile.ReadImagesSingle"/>) is never held in double; a double run reads them widened.
/// </summary>
/// <example><code>
/// var (x, digits) = IdxFile.ReadSingle(images, labels);
/// var source = new SingleBatches([("X", x), ("Y", Dataset.ToSingle(Dataset.OneHot(digits, 10)))], batchSize: 64);
/// Trainer.Train(network, source, options);   // network made with Precision = Precision.Single
/// </code></example>
public sealed class SingleBatches : IBatchSource
{
    private readonly SingleTensor[] data;
    private readonly int size;
    private readonly Random random;
    private readonly int[] order;
    private readonly Dictionary<int, SingleTensor[]> buffers = new();
    private readonly Dictionary<int, Matrix<double>[]> wide = new();
    private bool shuffled;

    /// <summary>
    /// Batches of <paramref name="batchSize"/> examples (the full batch when null) of <paramref name="data"/>, each
    /// named tensor holding one example per column, all with the same number of columns.
    /// </summary>
    /// <exception cref="ArgumentException">No data, a name given twice, a tensor without storage or columns that differ.</exception>
    public SingleBatches(IReadOnlyList<(string Name, SingleTensor Values)> data, int? batchSize = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("No data: give at least one named tensor, e.g. (\"X\", x).", nameof(data));
        if (batchSize is <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be positive, got {batchSize}.");
        foreach (var (name, values) in data)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(data));
            if (values.Array is null) throw new ArgumentException($"The tensor '{name}' is a default value without storage.", nameof(data));
            if (values.Columns != data[0].Values.Columns)
                throw new ArgumentException($"'{name}' has {values.Columns} columns but '{data[0].Name}' has {data[0].Values.Columns}: every tensor holds one column per example.", nameof(data));
        }
        if (data.Select(d => d.Name).Distinct().Count() != data.Count)
            throw new ArgumentException($"Names must differ: {string.Join(", ", data.Select(d => d.Name))}.", nameof(data));
        int examples = data[0].Values.Columns;
        if (examples == 0) throw new ArgumentException("There are no examples to train on: the data has 0 columns (examples are columns).", nameof(data));
        this.data = data.Select(d => d.Values.IsContiguous ? d.Values : d.Values.Clone()).ToArray();
        Names = data.Select(d => d.Name).ToArray();
        size = Math.Min(batchSize ?? examples, examples);
        random = new Random(seed);
        order = Enumerable.Range(0, examples).ToArray();
        BatchCount = (examples + size - 1) / size;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <summary>The whole data by name, for the trainer's checks before the first step.</summary>
    internal IEnumerable<(string Name, SingleTensor Values)> Data => Names.Zip(data);

    /// <inheritdoc />
    public int Examples => order.Length;

    /// <inheritdoc />
    public int BatchCount { get; }

    /// <inheritdoc />
    public bool HoldsSingle => true;

    /// <summary>Draws this epoch's order; the full batch is never shuffled (its cost and gradient do not depend on the order).</summary>
    public void BeginEpoch(int epoch)
    {
        if (size == order.Length) return;
        random.Shuffle(order);
        shuffled = true;
    }

    /// <inheritdoc />
    public IReadOnlyList<SingleTensor> SingleBatch(int index)
    {
        if ((uint)index >= (uint)BatchCount) throw new ArgumentOutOfRangeException(nameof(index), $"Batch {index} of {BatchCount}.");
        if (!shuffled) return data;
        int start = index * size, count = Math.Min(size, order.Length - start);
        if (!buffers.TryGetValue(count, out var buffer)) buffers[count] = buffer = Buffers(count);
        for (int k = 0; k < data.Length; k++)
        {
            var (source, target) = (data[k], buffer[k]);
            for (int j = 0; j < count; j++) source.Column(order[start + j]).CopyTo(target.Column(j));
        }
        return buffer;
    }

    /// <summary>The batch widened to double, for a run in double (buffers reused by the next call).</summary>
    public IReadOnlyList<Matrix<double>> Batch(int index)
    {
        var batch = SingleBatch(index);
        int count = batch[0].Columns;
        if (!wide.TryGetValue(count, out var matrices)) wide[count] = matrices = data.Select(d => (Matrix<double>)new DenseMatrix(d.Rows, count)).ToArray();
        for (int k = 0; k < batch.Count; k++) batch[k].ConvertTo<double>(Tensor.Of(matrices[k]));
        return matrices;
    }

    // A method of its own: a lambda capturing count in SingleBatch would allocate its closure on every call.
    private SingleTensor[] Buffers(int count) => data.Select(d => SingleTensor.Zeros(d.Rows, count)).ToArray();
}
