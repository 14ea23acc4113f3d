using System.Buffers.Binary;

namespace GraphDiff.Nn;

/// <summary>
/// MNIST-style IDX images and labels read a batch at a time, for data sets larger than memory: the images file
/// (uncompressed: batches seek to their examples) stays on disk, pixels scaled to [0, 1]; the labels are read
/// once and encoded by <c>labels</c> (e.g. <c>d =&gt; Dataset.OneHot(d, 10)</c> or <c>Dataset.Row</c>).
/// </summary>
public sealed class IdxBatches : IBatchSource, IDisposable
{
    private readonly StreamedBatches batches;
    private readonly string path;
    private readonly FileStream images;
    private readonly byte[] pixels;
    private readonly double[,] encoded;

    /// <summary>Opens <paramref name="imagesPath"/> and reads <paramref name="labelsPath"/>; errors name the file.</summary>
    public static IdxBatches Open(string imagesPath, string labelsPath, Func<IReadOnlyList<int>, MathNet.Numerics.LinearAlgebra.Matrix<double>> labels,
        int batchSize, int seed = 0, string xName = "X", string yName = "Y")
    {
        ArgumentNullException.ThrowIfNull(imagesPath);
        ArgumentNullException.ThrowIfNull(labelsPath);
        ArgumentNullException.ThrowIfNull(labels);
        var digits = IdxFile.ReadLabels(labelsPath);
        var y = labels(digits);
        if (y.ColumnCount != digits.Length)
            throw new ArgumentException($"The label encoding gave {y.ColumnCount} columns for {digits.Length} labels; it must give one column per label.", nameof(labels));
        if (!File.Exists(imagesPath)) throw new FileNotFoundException($"IDX file not found: {imagesPath}", imagesPath);
        var stream = new FileStream(imagesPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.RandomAccess);
        try
        {
            Span<byte> header = stackalloc byte[16];
            if (stream.ReadAtLeast(header, 16, throwOnEndOfStream: false) < 16)
                throw new DataFormatException(imagesPath, "truncated inside the header.");
            if (header[0] == 0x1f && header[1] == 0x8b)
                throw new DataFormatException(imagesPath, "is gzip-compressed; a compressed file cannot be read a batch at a time. Decompress it (gunzip) to stream it, or read it whole with IdxFile.Read.");
            int magic = BinaryPrimitives.ReadInt32BigEndian(header), count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
            int rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]), columns = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
            if (magic != 2051) throw new DataFormatException(imagesPath, $"magic number {magic}; an IDX images file starts with 2051.");
            if (count < 0 || rows <= 0 || columns <= 0 || 16 + (long)count * rows * columns != stream.Length)
                throw new DataFormatException(imagesPath, $"the header announces {count} images of {rows}×{columns}, but the file has {stream.Length:N0} bytes.");
            if (count != digits.Length)
                throw new DataFormatException(imagesPath, $"holds {count} images but {labelsPath} holds {digits.Length} labels.");
            return new IdxBatches(imagesPath, stream, rows * columns, y.ToArray(), batchSize, seed, xName, yName);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private IdxBatches(string path, FileStream images, int pixelsPerImage, double[,] encoded, int batchSize, int seed, string xName, string yName)
    {
        batches = new StreamedBatches([xName, yName], [pixelsPerImage, encoded.GetLength(0)], encoded.GetLength(1), batchSize, seed, Read);
        this.path = path;
        this.images = images;
        this.encoded = encoded;
        pixels = new byte[pixelsPerImage];
    }

    private void Read(int example, Tensor[] targets, int column)
    {
        images.Position = 16 + (long)example * pixels.Length;
        if (images.ReadAtLeast(pixels, pixels.Length, throwOnEndOfStream: false) < pixels.Length)
            throw new DataFormatException(path, $"image {example} is cut short: the file changed while it was being read.");
        var x = targets[0].Column(column);
        for (int i = 0; i < pixels.Length; i++) x[i] = pixels[i] / 255.0;
        var y = targets[1].Column(column);
        for (int i = 0; i < y.Length; i++) y[i] = encoded[i, example];
    }


    /// <inheritdoc />
    public IReadOnlyList<string> Names => batches.Names;

    /// <inheritdoc />
    public int Examples => batches.Examples;

    /// <inheritdoc />
    public int BatchCount => batches.BatchCount;

    /// <inheritdoc />
    public void BeginEpoch(int epoch) => batches.BeginEpoch(epoch);

    /// <inheritdoc />
    public IReadOnlyList<MathNet.Numerics.LinearAlgebra.Matrix<double>> Batch(int index) => batches.Batch(index);

    /// <summary>Closes the file.</summary>
    public void Dispose() => images.Dispose();
}
