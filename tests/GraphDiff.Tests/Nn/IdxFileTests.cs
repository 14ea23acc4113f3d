using System.Buffers.Binary;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

public class IdxFileTests
{
    [Theory]
    [InlineData("images.idx")]
    [InlineData("images.idx.gz")]
    public void GoodFilesReadExactly(string name)
    {
        using var dir = new TempDirectory();
        var images = DenseMatrix.Create(6, 3, (i, j) => (i * 3 + j) % 256 / 255.0);
        IdxFile.WriteImages(dir.File(name), images, 2, 3);
        IdxFile.WriteLabels(dir.File(name + ".labels"), [7, 0, 255]);
        var (read, labels) = IdxFile.Read(dir.File(name), dir.File(name + ".labels"));
        Assert.Equal(images, read);
        Assert.Equal([7, 0, 255], labels);
    }

    [Fact]
    public void TheShippedMnistSubsetReads()
    {
        var (x, labels) = IdxFile.Read(Path.Combine(AppContext.BaseDirectory, "data/mnist-10k/t10k-images-idx3-ubyte.gz"),
                                       Path.Combine(AppContext.BaseDirectory, "data/mnist-10k/t10k-labels-idx1-ubyte.gz"));
        Assert.Equal(784, x.RowCount);
        Assert.Equal(2000, x.ColumnCount);
        Assert.All(labels, l => Assert.InRange(l, 0, 9));
        Assert.InRange(x.Enumerate().Max(), 0.99, 1.0);
    }

    private static byte[] Header(int magic, params int[] values)
    {
        var bytes = new byte[4 + 4 * values.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int k = 0; k < values.Length; k++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * k), values[k]);
        return bytes;
    }

    [Fact]
    public void ABadMagicNumberIsNamed()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("bad.idx"), [.. Header(1234, 1, 2, 2), 1, 2, 3, 4]);
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(dir.File("bad.idx")));
        Assert.Contains("bad.idx", error.Message);
        Assert.Contains("magic number 1234", error.Message);
        Assert.Contains("2051", error.Message);
    }

    [Fact]
    public void TruncatedDataIsNamed()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("short.idx"), [.. Header(2051, 3, 2, 2), 1, 2, 3, 4, 5]);
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(dir.File("short.idx")));
        Assert.Contains("short.idx", error.Message);
        Assert.Contains("truncated", error.Message);

        File.WriteAllBytes(dir.File("header.idx"), [0, 0, 8]);
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(dir.File("header.idx"))).Message);
    }

    [Fact]
    public void ACountThatDoesNotMatchIsNamed()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("labels.idx"), [.. Header(2049, 2), 1, 2, 3]);
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(dir.File("labels.idx")));
        Assert.Contains("labels.idx", error.Message);
        Assert.Contains("does not match", error.Message);

        IdxFile.WriteImages(dir.File("images.idx"), new DenseMatrix(4, 3), 2, 2);
        IdxFile.WriteLabels(dir.File("two.idx"), [1, 2]);
        error = Assert.Throws<DataFormatException>(() => IdxFile.Read(dir.File("images.idx"), dir.File("two.idx")));
        Assert.Contains("2 labels", error.Message);
        Assert.Contains("3 images", error.Message);
    }

    [Fact]
    public void DamagedGzipIsNamed()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("broken.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]);
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(dir.File("broken.gz")));
        Assert.Contains("broken.gz", error.Message);
    }
}
