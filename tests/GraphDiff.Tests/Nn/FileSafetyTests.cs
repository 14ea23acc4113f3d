using System.Buffers.Binary;
using System.IO.Compression;
using GraphDiff.Nn;
using GraphDiff.Tests.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>Hostile and damaged files are refused naming the file, before anything large is allocated; saves clean up after crashes.</summary>
public class FileSafetyTests
{
    private static byte[] ImagesHeader(int count, int rows, int columns)
    {
        var header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, 2051);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), columns);
        return header;
    }

    private static void WriteGzip(string path, Action<Stream> write)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        write(gzip);
    }

    [Theory]
    [InlineData(16, 1 << 30, 1 << 30)]
    [InlineData(1 << 20, 1 << 12, 1 << 12)]
    [InlineData(int.MaxValue, 28, 28)]
    [InlineData(4, 65_536, 65_536)]
    public void AHeaderWhoseSizesOverflowIsRefused(int count, int rows, int columns)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bomb.idx");
        File.WriteAllBytes(path, ImagesHeader(count, rows, columns));
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void AGzipThatInflatesPastItsAnnouncedSizeIsRefusedWithoutInflatingIt()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bomb.idx.gz");
        WriteGzip(path, gzip =>
        {
            gzip.Write(ImagesHeader(1, 28, 28));
            var zeros = new byte[1 << 20];
            for (int k = 0; k < 256; k++) gzip.Write(zeros);    // 256 MB of zeros behind a one-image header
        });
        Assert.True(new FileInfo(path).Length < 2 << 20, $"the gzip is {new FileInfo(path).Length:N0} bytes");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("more data follows", error.Message);
        Assert.Contains(path, error.Message);
        Assert.True(allocated < 16 << 20, $"reading allocated {allocated:N0} bytes");
    }

    [Fact]
    public void AGzipAnnouncingMoreThanAnArrayHoldsIsRefusedBeforeInflating()
    {
        using var dir = new TempDirectory();
        var path = dir.File("huge.idx.gz");
        WriteGzip(path, gzip => gzip.Write(ImagesHeader(100_000_000, 28, 28)));
        Assert.Contains("more than one array can hold", Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path)).Message);
    }

    [Fact]
    public void IdxWritersRefuseWhatTheyCannotWrite()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentException>(() => IdxFile.WriteImages(dir.File("a.idx"), new DenseMatrix(10, 3), 28, 28));
        Assert.Contains("Label 1 is 300", Assert.Throws<ArgumentOutOfRangeException>(() => IdxFile.WriteLabels(dir.File("l.idx"), [1, 300])).Message);
        Assert.Throws<ArgumentNullException>(() => IdxFile.ReadImages(null!));
        Assert.Throws<ArgumentNullException>(() => IdxFile.WriteLabels(null!, [1]));
        Assert.Throws<ArgumentNullException>(() => CsvTable.Read(null!));
        Assert.Throws<ArgumentNullException>(() => ModelFile.Save(Network.LogisticRegression(2), null!));
        Assert.Throws<ArgumentNullException>(() => ModelFile.Load(null!));
        Assert.False(File.Exists(dir.File("a.idx")));
    }

    /// <summary>The id of a process that has run and exited (and been reaped), as a killed writer's would be.</summary>
    private static int DeadProcessId()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "exit 0"]) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    /// <summary>A temporary of <paramref name="path"/> as process <paramref name="processId"/> would name it.</summary>
    private static string TemporaryOf(string path, int processId, byte[]? content = null)
    {
        var name = TemporaryFiles.Name(Path.GetFullPath(path), processId);
        File.WriteAllBytes(name, content ?? [1, 2, 3]);
        return name;
    }

    [Fact]
    public void AStaleTemporaryFromAKilledSaveIsRemovedByTheNextSaveAndOthersAreLeftAlone()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.gdmodel");
        var dead = TemporaryOf(path, DeadProcessId());
        var live = TemporaryOf(path, Environment.ProcessId);                   // a save of this process in progress
        var otherTarget = TemporaryOf(dir.File("other.gdmodel"), DeadProcessId());   // another target's: its own save or load cleans it
        var unrelated = dir.File("unrelated.tmp");
        File.WriteAllBytes(unrelated, [1]);
        var lookalike = dir.File(".gd-notours.tmp");
        File.WriteAllBytes(lookalike, [1]);
        ModelFile.Save(Network.LogisticRegression(2), path);
        Assert.False(File.Exists(dead));
        Assert.All(new[] { live, otherTarget, unrelated, lookalike, path }, f => Assert.True(File.Exists(f), f));
    }

    [Fact]
    public void ATemporaryADayOldIsStaleWhateverProcessNamedIt()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.gdmodel");
        // A live process id (this one's) that a killed writer's id was reused by; and a name of an earlier GraphDiff (no process id).
        var reused = TemporaryOf(path, Environment.ProcessId);
        var earlier = Path.Combine(dir.Path, TemporaryFiles.Prefix(Path.GetFullPath(path)) + "deadbeef.tmp");
        File.WriteAllBytes(earlier, [1]);
        var young = TemporaryOf(path, Environment.ProcessId);
        foreach (var old in new[] { reused, earlier })
            File.SetLastWriteTimeUtc(old, DateTime.UtcNow - TemporaryFiles.MaximumAge - TimeSpan.FromMinutes(1));
        ModelFile.Save(Network.LogisticRegression(2), path);
        Assert.False(File.Exists(reused));
        Assert.False(File.Exists(earlier));
        Assert.True(File.Exists(young));
    }

    [Fact]
    public void ALoadRemovesTheTemporariesOfDeadWritersEvenWhenThereIsNoFileYet()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.gdmodel");
        // Killed before its first rename: only the temporary exists.
        var first = TemporaryOf(path, DeadProcessId());
        Assert.Throws<FileNotFoundException>(() => ModelFile.Load(path));
        Assert.False(File.Exists(first));

        ModelFile.Save(Network.LogisticRegression(2), path);
        var dead = TemporaryOf(path, DeadProcessId());
        var live = TemporaryOf(path, Environment.ProcessId);
        Assert.Equal(2, ModelFile.Load(path).Architecture.LayerSizes[0]);
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));

        var graph = dir.File("g.graph");
        GraphFile.Save([Op.Tanh(Graph.Input("X", 2))], graph);
        var deadGraph = TemporaryOf(graph, DeadProcessId());
        GraphFile.Load(graph);
        Assert.False(File.Exists(deadGraph));

        var labels = dir.File("labels.idx");
        IdxFile.WriteLabels(labels, [1, 2]);
        var deadLabels = TemporaryOf(labels, DeadProcessId());
        Assert.Equal([1, 2], IdxFile.ReadLabels(labels));
        Assert.False(File.Exists(deadLabels));
    }

    [Fact]
    public void ALoadInAFolderItMayNotChangeStillReads()
    {
        using var dir = new TempDirectory();
        var folder = Directory.CreateDirectory(dir.File("shelf")).FullName;
        var path = Path.Combine(folder, "model.gdmodel");
        ModelFile.Save(Network.LogisticRegression(3), path);
        var dead = TemporaryOf(path, DeadProcessId());
        if (OperatingSystem.IsWindows()) File.SetAttributes(dead, FileAttributes.ReadOnly);
        else File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            // Root may delete in a read-only folder: then the temporary goes, as anywhere else; otherwise it stays and the load goes on.
            Assert.Equal(3, ModelFile.Load(path).Architecture.LayerSizes[0]);
        }
        finally
        {
            if (OperatingSystem.IsWindows()) File.SetAttributes(dead, FileAttributes.Normal);
            else File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        ModelFile.Save(Network.LogisticRegression(4), path);
        Assert.False(File.Exists(dead));
    }

    [Fact]
    public void AFileNameNearTheFileSystemLimitStillSaves()
    {
        using var dir = new TempDirectory();
        var path = dir.File(new string('m', 240) + ".gdmodel");   // 248 bytes: the old temporary name needed 290
        ModelFile.Save(Network.LogisticRegression(3), path);
        Assert.Equal(3, ModelFile.Load(path).Architecture.LayerSizes[0]);
    }

    /// <summary>A model file's payload starts after the 16-byte magic, the version and the payload length.</summary>
    private const int PayloadStart = 24;

    /// <summary>Writes an edited model file with its SHA-256 recomputed, so that the parser itself meets the edit.</summary>
    private static void WriteWithChecksum(string path, byte[] bytes)
    {
        int length = BitConverter.ToInt32(bytes, 20);
        System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(PayloadStart, length)).CopyTo(bytes, PayloadStart + length);
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void AModelHoldingNaNIsNeitherSavedNorLoaded()
    {
        using var dir = new TempDirectory();
        var net = Network.Create([2, 3, 1]);
        var path = dir.File("m.gdmodel");
        ModelFile.Save(net, path);
        net.Layers[1].B.Value[0, 0] = double.NaN;
        Assert.Contains("'b2'", Assert.Throws<ArgumentException>(() => ModelFile.Save(net, path)).Message);
        Assert.NotNull(ModelFile.Load(path));   // the previous file is intact

        // A file with NaN written by hand (checksum recomputed) is refused on load.
        var bytes = File.ReadAllBytes(path);
        BitConverter.GetBytes(double.NaN).CopyTo(bytes, PayloadStart + BitConverter.ToInt32(bytes, 20) - 8);
        WriteWithChecksum(path, bytes);
        var error = Assert.Throws<DataFormatException>(() => ModelFile.Load(path));
        Assert.Contains("'b2'", error.Message);
    }

    [Fact]
    public void AnActivationNameInFlagsSyntaxIsRefused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.gdmodel");
        ModelFile.Save(Network.Create([2, 3, 1], new NetworkOptions { Hidden = Activation.Tanh }), path);
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.UTF8.GetBytes("Tanh");
        int at = bytes.AsSpan().IndexOf(text);
        // "Tanh" → "2, 1" keeps the string's length byte valid and parses with Enum.TryParse.
        System.Text.Encoding.UTF8.GetBytes("2, 1").CopyTo(bytes, at);
        WriteWithChecksum(path, bytes);
        Assert.Contains("unknown Activation '2, 1'", Assert.Throws<DataFormatException>(() => ModelFile.Load(path)).Message);
    }

    [Fact]
    public void StandardizerAndPlotsRefuseBadArguments()
    {
        Assert.Contains("no examples", Assert.Throws<ArgumentException>(() => Standardizer.Fit(new DenseMatrix(3, 0))).Message);
        var nan = DenseMatrix.Create(2, 4, 1.0);
        nan[1, 2] = double.NaN;
        Assert.Contains("example 2", Assert.Throws<ArgumentException>(() => Standardizer.Fit(nan)).Message);
        var data = Dataset.Flower(20, seed: 1);
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentOutOfRangeException>(() => Plots.DecisionBoundary(Network.Create([2, 1]), data, dir.File("p.png"), resolution: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Plots.DecisionBoundary(Network.Create([2, 1]), data, dir.File("p.png"), resolution: -5));
    }
}
