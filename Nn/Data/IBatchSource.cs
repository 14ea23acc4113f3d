using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Nn;

/// <summary>
/// Mini-batches for the trainer: each batch holds one matrix per name in <see cref="Names"/> (matched to the
/// model's inputs by name), examples as columns, the same columns in every matrix. Sources reorder the examples
/// at the start of every epoch from their seed, so a run is reproducible. <see cref="MemoryBatches"/> serves data in
/// memory; <see cref="IdxBatches"/> and <see cref="CsvBatches"/> read files larger than memory a batch at a time.
/// </summary>
public interface IBatchSource
{
    /// <summary>The names of the matrices in each batch, e.g. X and Y.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The number of examples per epoch.</summary>
    int Examples { get; }

    /// <summary>The number of batches per epoch.</summary>
    int BatchCount { get; }

    /// <summary>Starts epoch <paramref name="epoch"/> (from 0): draws its order of examples.</summary>
    void BeginEpoch(int epoch);

    /// <summary>
    /// Batch <paramref name="index"/> of the current epoch, one matrix per name. The matrices may be reused by
    /// the next call, so copy them to keep them.
    /// </summary>
    IReadOnlyList<Matrix<double>> Batch(int index);

    /// <summary>
    /// True for a source that holds its data as float32 (<see cref="SingleBatches"/>): a float32 training run then
    /// reads its batches from <see cref="SingleBatch"/>, and the data is never widened to double. False by default.
    /// </summary>
    bool HoldsSingle => false;

    /// <summary>
    /// Batch <paramref name="index"/> of the current epoch as float tensors, one per name (reused by the next call),
    /// for a source that <see cref="HoldsSingle"/>; others throw <see cref="NotSupportedException"/>.
    /// </summary>
    IReadOnlyList<GraphDiff.Tensors.Tensor<float>> SingleBatch(int index) =>
        throw new NotSupportedException($"{GetType().Name} holds its data as double; read its batches with Batch.");
}
