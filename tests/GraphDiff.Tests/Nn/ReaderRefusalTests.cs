using GraphDiff.Nn;
using GraphDiff.Tests.Nn;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// Readers refuse what they cannot know to be right: control characters inside CSV fields (a NUL in a number
/// must not read as the number), and any file format version other than the ones the reader knows.
/// </summary>
public class ReaderRefusalTests
{
    /// <summary>A control character after a number (where .NET's parser ignores a NUL, and Trim removes \v, \f, U+0085), inside it, and before it.</summary>
    public static TheoryData<string, int> ControlCharacters()
    {
        var data = new TheoryData<string, int>();
        foreach (int code in new[] { 0, 1, 27, 127, 11, 12, 0x85, '\r' })
            foreach (var field in new[] { "4{0}", "4{0}5", "{0}4" })
                data.Add(string.Format(field, (char)code), code);
        return data;
    }

    private static string CsvWith(string field) => $"a,b,label\n1,2,0\n3,{field},1\n6,7,0\n";

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void AControlCharacterInsideACsvFieldIsRefusedByBothReadersNamingFileLineColumnAndCharacter(string field, int code)
    {
        using var dir = new TempDirectory();
        var path = dir.File("control.csv");
        File.WriteAllText(path, CsvWith(field));
        AssertNamesTheControlCharacter(Assert.Throws<DataFormatException>(() => CsvTable.Read(path)), path, code);
        // Streamed: refused on opening (the index pass sees every byte), not at some later batch.
        AssertNamesTheControlCharacter(Assert.Throws<DataFormatException>(() => CsvBatches.Open(path, batchSize: 2).Dispose()), path, code);
    }

    private static void AssertNamesTheControlCharacter(DataFormatException error, string path, int code)
    {
        Assert.Equal(path, error.Path);
        Assert.Equal(3, error.Line);
        Assert.Contains("'b'", error.Message);
        Assert.Contains($"U+{code:X4}", error.Message);
        Assert.Contains("control character", error.Message);
    }

    [Theory]
    [InlineData("a,b\u0000,label\n1,2,0\n")]
    [InlineData("a,b,label\n1,\"2\u0000\",0\n")]
    public void AControlCharacterInTheHeaderOrAQuotedFieldIsRefused(string text)
    {
        using var dir = new TempDirectory();
        var path = dir.File("control.csv");
        File.WriteAllText(path, text);
        Assert.Contains("U+0000", Assert.Throws<DataFormatException>(() => CsvTable.Read(path)).Message);
        Assert.Contains("U+0000", Assert.Throws<DataFormatException>(() => CsvBatches.Open(path, 2).Dispose()).Message);
    }

    [Fact]
    public void TwoColumnsOfOneNameAreRefusedByBothReaders()
    {
        using var dir = new TempDirectory();
        var path = dir.File("twice.csv");
        File.WriteAllText(path, "a,a,label\n1,2,0\n");
        foreach (var error in new[] { Assert.Throws<DataFormatException>(() => CsvTable.Read(path)), Assert.Throws<DataFormatException>(() => CsvBatches.Open(path, 2).Dispose()) })
        {
            Assert.Contains("columns 1 and 2 are both named 'a'", error.Message);
            Assert.Contains("twice.csv", error.Message);
        }
    }

    [Fact]
    public void TabsAndWindowsLineEndingsStillRead()
    {
        using var dir = new TempDirectory();
        var path = dir.File("tabs.csv");
        File.WriteAllText(path, "a,\tb,label\r\n1,\t2.5,0\r\n3,4\t,1\r\n");
        var table = CsvTable.Read(path);
        Assert.Equal(["a", "b"], table.FeatureNames);
        Assert.Equal(2.5, table.Data.X[1, 0]);
        using var batches = CsvBatches.Open(path, batchSize: 2);
        batches.BeginEpoch(0);
        var x = batches.Batch(0)[0];
        Assert.Equal([2.5, 4.0], x.Row(1).Order());
    }

    /// <summary>Rewrites the version field (just after the magic) of a GraphDiff file; the checksum covers the payload only, so it stays valid.</summary>
    private static void PatchVersion(string path, int magicLength, int version)
    {
        var bytes = File.ReadAllBytes(path);
        BitConverter.GetBytes(version).CopyTo(bytes, magicLength);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Versions a reader cannot know: the next one, 0, negative, and the largest.</summary>
    public static TheoryData<int> UnknownVersions(int current) => [current + 1, current + 7, 0, -current, int.MaxValue, int.MinValue];

    public static TheoryData<int> UnknownModelVersions => UnknownVersions(ModelFile.FormatVersion);

    public static TheoryData<int> UnknownGraphVersions => UnknownVersions(GraphFile.FormatVersion);

    [Theory]
    [MemberData(nameof(UnknownModelVersions))]
    public void AModelFileOfAnUnknownVersionIsRefusedSayingWhichVersionsAreRead(int version)
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.gdmodel");
        ModelFile.Save(Network.Create([3, 2, 1]), path);
        PatchVersion(path, magicLength: 16, version);
        var error = Assert.Throws<DataFormatException>(() => ModelFile.Load(path));
        Assert.Equal(path, error.Path);
        Assert.Contains($"version {version}", error.Message);
        Assert.Contains($"reads versions 1, 2 and {ModelFile.FormatVersion}", error.Message);
    }

    [Theory]
    [MemberData(nameof(UnknownGraphVersions))]
    public void AGraphFileOfAnUnknownVersionIsRefusedSayingWhichVersionsAreRead(int version)
    {
        using var dir = new TempDirectory();
        var path = dir.File("g.graph");
        GraphFile.Save(Network.Create([3, 2, 1]).Model, path);
        PatchVersion(path, magicLength: 16, version);
        foreach (var load in new Action[] { () => GraphFile.Load(path), () => GraphFile.LoadModel(path) })
        {
            var error = Assert.Throws<DataFormatException>(load);
            Assert.Equal(path, error.Path);
            Assert.Contains($"version {version}", error.Message);
            Assert.Contains($"reads versions 1, 2 and {GraphFile.FormatVersion}", error.Message);
        }
    }

    /// <summary>
    /// A graph file from a newer GraphDiff can keep format version 1 and give an operation an attribute this one
    /// does not know (a slope, an axis); the factories ignore attributes they do not read, so such a file loaded as
    /// another graph than the one saved. Here the attribute is added to a saved file by hand (checksum redone).
    /// </summary>
    [Theory]
    [InlineData("Tanh", "scale")]
    [InlineData("MatMul", "alpha")]
    [InlineData("Sum", "keepDims")]
    public void AnOperationAttributeThisVersionDoesNotKnowIsRefused(string operation, string attribute)
    {
        using var dir = new TempDirectory();
        var path = dir.File("newer.graph");
        var x = Graph.Input("X", 3);
        GraphFile.Save([Op.Sum(Op.Tanh(Op.MatMul(Graph.Variable("W", 0.5 * MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(2, 3, 1)), x)), axis: 0)], path);
        var magic = "GRAPHDIFF-GRAPH\n"u8.ToArray();
        var payload = ChecksummedFile.Read(path, magic, GraphFile.FormatVersion, "graph");
        ChecksummedFile.Write(path, magic, GraphFile.FormatVersion, WithAttribute(payload, operation, attribute, 2.0));
        var error = Assert.Throws<DataFormatException>(() => GraphFile.Load(path));
        Assert.Equal(path, error.Path);
        Assert.Contains($"({operation})", error.Message);
        Assert.Contains($"'{attribute}'", error.Message);
        Assert.Contains($"version {GraphFile.FormatVersion}", error.Message);
    }

    /// <summary>The payload with one more attribute on the first node of operation <paramref name="operation"/>: its count is raised and the entry inserted after it.</summary>
    private static byte[] WithAttribute(byte[] payload, string operation, string key, double value)
    {
        static byte[] Bytes(Action<BinaryWriter> write)
        {
            var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer)) write(writer);
            return buffer.ToArray();
        }
        var name = Bytes(w => w.Write(operation));
        int at = payload.AsSpan().IndexOf(name);
        Assert.True(at >= 0, $"no {operation} node in the payload");
        int count = at + name.Length;
        var result = (byte[])payload.Clone();
        BitConverter.GetBytes(BitConverter.ToInt32(payload, count) + 1).CopyTo(result, count);
        return [.. result[..(count + 4)], .. Bytes(w => { w.Write(key); w.Write(value); }), .. result[(count + 4)..]];
    }
}
