using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>
/// What the file-backed sources share: a seeded permutation of the examples drawn every epoch, and batches read
/// one example at a time (in file order within a batch, for locality) into buffers reused from batch to batch.
/// The source supplies how one example is read into a column of each matrix.
/// </summary>
internal sealed class StreamedBatches : IBatchSource
{
    /// <summary>Reads example <c>example</c> into column <c>column</c> of each target.</summary>
    public delegate void ExampleReader(int example, Tensor[] targets, int column);

    private readonly ExampleReader read;
    private readonly int size;
    private readonly Random random;
    private readonly int[] order;
    private readonly Dictionary<int, Matrix<double>[]> buffers = new();
    private readonly int[] rows;

    public StreamedBatches(string[] names, int[] rowsPerMatrix, int examples, int batchSize, int seed, ExampleReader read)
    {
        this.read = read;
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be positive, got {batchSize}.");
        Names = names;
        rows = rowsPerMatrix;
        size = Math.Min(batchSize, Math.Max(examples, 1));
        random = new Random(seed);
        order = Enumerable.Range(0, examples).ToArray();
        BatchCount = (examples + size - 1) / size;
    }

    public IReadOnlyList<string> Names { get; }

    public int Examples => order.Length;

    public int BatchCount { get; }

    public void BeginEpoch(int epoch) => random.Shuffle(order);

    public IReadOnlyList<Matrix<double>> Batch(int index)
    {
        if ((uint)index >= (uint)BatchCount) throw new ArgumentOutOfRangeException(nameof(index), $"Batch {index} of {BatchCount}.");
        int start = index * size, count = Math.Min(size, order.Length - start);
        if (!buffers.TryGetValue(count, out var buffer))
            buffers[count] = buffer = rows.Select(r => (Matrix<double>)new DenseMatrix(r, count)).ToArray();
        var examples = order.AsSpan(start, count).ToArray();
        var columns = Enumerable.Range(0, count).ToArray();
        Array.Sort(examples, columns);   // read in file order, write each example to its column
        var targets = buffer.Select(Tensor.Of).ToArray();
        for (int k = 0; k < count; k++) read(examples[k], targets, columns[k]);
        return buffer;
    }
}
