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
    /// pixels scaled from 0–255 to [0, 1].
    /// </summary>
    public static Matrix<double> ReadImages(string path)
    {
        var bytes = ReadAll(path);
        int count = Header(path, bytes, ImagesMagic, headerInts: 4);
        int rows = ReadInt(bytes, 8), columns = ReadInt(bytes, 12);
        if (rows <= 0 || columns <= 0) throw new DataFormatException(path, $"image size {rows}×{columns} is not positive.");
        long pixels = (long)rows * columns;
        long expected = 16 + pixels * count;
        if (bytes.Length < expected)
            throw new DataFormatException(path, $"truncated: the header announces {count} images of {rows}×{columns} ({expected} bytes) but the file has {bytes.Length} bytes.");
        if (bytes.Length > expected)
            throw new DataFormatException(path, $"the header announces {count} images of {rows}×{columns} ({expected} bytes) but the file has {bytes.Length} bytes: the count does not match the data.");
        var x = new DenseMatrix((int)pixels, count);
        var values = x.Values;
        for (long i = 0; i < pixels * count; i++) values[i] = bytes[16 + i] / 255.0;
        return x;
    }

    /// <summary>The labels (0–255, for MNIST the digits 0–9).</summary>
    public static int[] ReadLabels(string path)
    {
        var bytes = ReadAll(path);
        int count = Header(path, bytes, LabelsMagic, headerInts: 2);
        long expected = 8 + (long)count;
        if (bytes.Length != expected)
            throw new DataFormatException(path, bytes.Length < expected
                ? $"truncated: the header announces {count} labels but only {bytes.Length - 8} follow."
                : $"the header announces {count} labels but {bytes.Length - 8} follow: the count does not match the data.");
        return bytes.AsSpan(8).ToArray().Select(b => (int)b).ToArray();
    }

    /// <summary>Images and labels together, checking that their counts agree.</summary>
    public static (Matrix<double> Images, int[] Labels) Read(string imagesPath, string labelsPath)
    {
        var images = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (images.ColumnCount != labels.Length)
            throw new DataFormatException(labelsPath, $"holds {labels.Length} labels but {imagesPath} holds {images.ColumnCount} images.");
        return (images, labels);
    }

    private static byte[] ReadAll(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        var raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b) return raw;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            return plain.ToArray();
        }
        catch (InvalidDataException e) { throw new DataFormatException(path, $"the gzip data is damaged ({e.Message}).", inner: e); }
    }

    private static int Header(string path, byte[] bytes, int magic, int headerInts)
    {
        if (bytes.Length < 4 * headerInts)
            throw new DataFormatException(path, $"truncated: {bytes.Length} bytes is shorter than the {4 * headerInts}-byte header.");
        int actual = ReadInt(bytes, 0);
        if (actual != magic)
            throw new DataFormatException(path, $"bad magic number {actual}: expected {magic} ({(magic == ImagesMagic ? "images" : "labels")}).");
        int count = ReadInt(bytes, 4);
        if (count < 0) throw new DataFormatException(path, $"negative count {count}.");
        return count;
    }

    private static int ReadInt(byte[] bytes, int offset) => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset, 4));

    /// <summary>Writes images (pixels in [0, 1], one per column) in the IDX format, gzip-compressed when the path ends in .gz. For tests and tools.</summary>
    public static void WriteImages(string path, Matrix<double> images, int rows, int columns)
    {
        var bytes = new byte[16 + images.RowCount * images.ColumnCount];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), images.ColumnCount);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        var values = Dense.Storage(images);
        for (int i = 0; i < values.Length; i++) bytes[16 + i] = (byte)Math.Round(Math.Clamp(values[i], 0, 1) * 255);
        Write(path, bytes);
    }

    /// <summary>Writes labels in the IDX format, gzip-compressed when the path ends in .gz. For tests and tools.</summary>
    public static void WriteLabels(string path, IReadOnlyList<int> labels)
    {
        var bytes = new byte[8 + labels.Count];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Count);
        for (int i = 0; i < labels.Count; i++) bytes[8 + i] = checked((byte)labels[i]);
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
