using System.Buffers.Binary;
using System.IO.Compression;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>
/// Reads the MNIST IDX format, plain or gzip-compressed (detected from the first bytes): images (magic 2051,
/// count, rows, columns as big-endian int32, then one byte per pixel) and labels (magic 2049, count, bytes).
/// </summary>
public static class IdxFile
{
    private const int ImagesMagic = 2051, LabelsMagic = 2049;

    /// <summary>
    /// The images as a (rows·columns, count) matrix, one image per column as the course lays out examples, with
    /// pixels scaled from 0–255 to [0, 1]. The same matrix is a batch of images (rows, columns, 1, m) in the image
    /// layout (pixels row after row): feed it to an input of shape <c>Shape.Of(28, 28, 1, Shape.Batch)</c> for a
    /// ConvNet, or of (784, m) for a dense network. The header is read first and its sizes (checked for overflow) are
    /// compared with the file before anything large is allocated or inflated; every problem, I/O failures
    /// included, is a <see cref="DataFormatException"/> naming the file.
    /// </summary>
    public static Matrix<double> ReadImages(string path) => Read(path, ImagesMagic, headerInts: 4, (header, body) =>
    {
        int count = header[1], rows = header[2], columns = header[3];
        var x = new DenseMatrix(rows * columns, count);
        var values = x.Values;
        for (int i = 0; i < values.Length; i++) values[i] = body[i] / 255.0;
        return x;
    });

    /// <summary>
    /// The images as <see cref="ReadImages"/> gives them, as float32 read straight from the bytes: the data of a float32
    /// network without a double copy in memory (MNIST-10k's 10,000 images take 31 MB rather than 63).
    /// </summary>
    public static GraphDiff.Tensors.Tensor<float> ReadImagesSingle(string path) => Read(path, ImagesMagic, headerInts: 4, (header, body) =>
    {
        int count = header[1], rows = header[2], columns = header[3];
        var values = new float[(long)rows * columns * count];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(body[i] / 255.0);   // the double reader's values, rounded
        return new GraphDiff.Tensors.Tensor<float>(values, rows * columns, count);
    });

    /// <summary>Images (as float32, <see cref="ReadImagesSingle"/>) and labels together, checking that their counts agree.</summary>
    public static (GraphDiff.Tensors.Tensor<float> Images, int[] Labels) ReadSingle(string imagesPath, string labelsPath) =>
        Paired(imagesPath, labelsPath, ReadImagesSingle, images => images.Columns);

    /// <summary>The labels (0–255, for MNIST the digits 0–9). Errors as for <see cref="ReadImages"/>.</summary>
    public static int[] ReadLabels(string path) => Read(path, LabelsMagic, headerInts: 2, (_, body) => body.Select(b => (int)b).ToArray());

    /// <summary>Images and labels together, checking that their counts agree.</summary>
    public static (Matrix<double> Images, int[] Labels) Read(string imagesPath, string labelsPath) =>
        Paired(imagesPath, labelsPath, ReadImages, images => images.ColumnCount);

    private static (T Images, int[] Labels) Paired<T>(string imagesPath, string labelsPath, Func<string, T> readImages, Func<T, int> count)
    {
        ArgumentNullException.ThrowIfNull(imagesPath);
        ArgumentNullException.ThrowIfNull(labelsPath);
        var images = readImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (count(images) != labels.Length)
            throw new DataFormatException(labelsPath, $"holds {labels.Length} labels but {imagesPath} holds {count(images)} images.");
        return (images, labels);
    }

    /// <summary>Opens the file (gzip detected from its first two bytes), reads and checks the header, then exactly the announced body.</summary>
    private static T Read<T>(string path, int magic, int headerInts, Func<int[], byte[], T> parse)
    {
        ArgumentNullException.ThrowIfNull(path);
        TemporaryFiles.RemoveStaleBeside(path);   // IDX files are saved atomically too (WriteImages, WriteLabels)
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        try
        {
            // FileShare.Delete: a save may rename a new file over this one while it is read (see ChecksummedFile).
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1 << 16);
            bool gzip = file.ReadByte() == 0x1f & file.ReadByte() == 0x8b;
            file.Position = 0;
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            var headerBytes = new byte[4 * headerInts];
            int got = stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
            if (got < headerBytes.Length)
                throw new DataFormatException(path, $"truncated: {got} bytes is shorter than the {headerBytes.Length}-byte header.");
            var header = Enumerable.Range(0, headerInts).Select(k => BinaryPrimitives.ReadInt32BigEndian(headerBytes.AsSpan(4 * k))).ToArray();
            long bodyLength = BodyLength(path, header, magic);
            // A plain file's size is known up front: refuse a mismatch before allocating anything.
            if (!gzip && file.Length != headerBytes.Length + bodyLength)
                throw Mismatch(path, header, headerBytes.Length + bodyLength, file.Length);
            var body = ReadBody(stream, (int)bodyLength, out got);
            if (got < bodyLength)
                throw new DataFormatException(path, $"truncated: the header announces {Describe(header)} ({headerBytes.Length + bodyLength} bytes{(gzip ? " once inflated" : "")}) but only {headerBytes.Length + got} are there.");
            // Inflate at most one byte past the announced end: enough to know that the count is wrong.
            if (gzip && stream.ReadByte() != -1)
                throw new DataFormatException(path, $"the header announces {Describe(header)} ({headerBytes.Length + bodyLength} bytes once inflated) but more data follows: the count does not match the data.");
            return parse(header, body);
        }
        catch (InvalidDataException e) { throw new DataFormatException(path, $"the gzip data is damaged ({e.Message}).", inner: e); }
        catch (IOException e) when (e is not FileNotFoundException) { throw new DataFormatException(path, $"could not be read: {e.Message}", inner: e); }
        catch (UnauthorizedAccessException e) { throw new DataFormatException(path, $"could not be read: {e.Message}", inner: e); }
    }

    /// <summary>
    /// Reads up to <paramref name="length"/> bytes. The buffer grows with the data actually read (doubling), so a
    /// damaged header that announces gigabytes costs only what the stream really holds.
    /// </summary>
    private static byte[] ReadBody(Stream stream, int length, out int got)
    {
        var buffer = new byte[Math.Min(length, 1 << 20)];
        got = 0;
        while (true)
        {
            got += stream.ReadAtLeast(buffer.AsSpan(got), buffer.Length - got, throwOnEndOfStream: false);
            if (got < buffer.Length || buffer.Length == length) return got == length ? buffer : buffer[..got];
            Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
        }
    }

    /// <summary>The body's size from the header, with every product checked: a header of 2³⁰×2³⁰ images must not wrap around.</summary>
    private static long BodyLength(string path, int[] header, int magic)
    {
        if (header[0] != magic)
            throw new DataFormatException(path, $"bad magic number {header[0]}: expected {magic} ({(magic == ImagesMagic ? "images" : "labels")}).");
        int count = header[1];
        if (count < 0) throw new DataFormatException(path, $"negative count {count}.");
        long pixels = 1;
        if (magic == ImagesMagic)
        {
            int rows = header[2], columns = header[3];
            if (rows <= 0 || columns <= 0) throw new DataFormatException(path, $"image size {rows}×{columns} is not positive.");
            pixels = (long)rows * columns;
        }
        // Each pixel becomes a double in one array (and each label an int): the total must fit one array.
        var total = (System.Numerics.BigInteger)pixels * count;
        if (total > Array.MaxLength || pixels > int.MaxValue)
            throw new DataFormatException(path, $"the header announces {Describe(header)}, {total:N0} values in all, more than one array can hold ({Array.MaxLength:N0}).");
        // The bytes and then a double per value must fit in the memory this process may use.
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if ((double)total * (magic == ImagesMagic ? 9 : 5) > available)
            throw new DataFormatException(path, $"the header announces {Describe(header)}, which would need {(double)total * 9 / 1e9:F1} GB in memory; {available / 1e9:F1} GB are available.");
        return (long)total;
    }

    private static DataFormatException Mismatch(string path, int[] header, long expected, long actual) =>
        new(path, actual < expected
            ? $"truncated: the header announces {Describe(header)} ({expected} bytes) but the file has {actual} bytes."
            : $"the header announces {Describe(header)} ({expected} bytes) but the file has {actual} bytes: the count does not match the data.");

    private static string Describe(int[] header) => header.Length == 4
        ? $"{header[1]} images of {header[2]}×{header[3]}"
        : $"{header[1]} labels";

    /// <summary>Writes images (pixels in [0, 1], one per column) in the IDX format, gzip-compressed when the path ends in .gz. For tests and tools.</summary>
    public static void WriteImages(string path, Matrix<double> images, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(images);
        if (rows <= 0 || columns <= 0 || (long)rows * columns != images.RowCount)
            throw new ArgumentException($"Images of {rows}×{columns} pixels need {(long)rows * columns} rows per column, but the matrix is {images.RowCount}×{images.ColumnCount}.", nameof(images));
        if (Tensor.Of(images).FirstNonFinite() is { } bad)
            throw new ArgumentException($"Image {bad.Column} holds {bad.Value} at pixel {bad.Row}; pixels must be finite values in [0, 1].", nameof(images));
        var bytes = new byte[16 + images.RowCount * images.ColumnCount];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), images.ColumnCount);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        var values = Tensor.Of(images).Array;
        for (int i = 0; i < values.Length; i++) bytes[16 + i] = (byte)Math.Round(Math.Clamp(values[i], 0, 1) * 255);
        Write(path, bytes);
    }

    /// <summary>Writes labels in the IDX format, gzip-compressed when the path ends in .gz. For tests and tools.</summary>
    public static void WriteLabels(string path, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(labels);
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] is < 0 or > 255)
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {i} is {labels[i]}; the IDX format stores each label in one byte (0–255).");
        var bytes = new byte[8 + labels.Count];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Count);
        for (int i = 0; i < labels.Count; i++) bytes[8 + i] = (byte)labels[i];
        Write(path, bytes);
    }

    private static void Write(string path, byte[] bytes)
    {
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) { AtomicFile.Write(path, s => s.Write(bytes)); return; }
        AtomicFile.Write(path, s =>
        {
            using var gzip = new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true);
            gzip.Write(bytes);
        });
    }
}
