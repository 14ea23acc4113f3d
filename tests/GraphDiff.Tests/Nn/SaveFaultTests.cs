using GraphDiff.Nn;
using GraphDiff.Tests.Nn;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// Saves that fail (a full disk, a refused permission, a folder that is gone or cannot be made) name the file the
/// user asked for and the cause, keep the previous file, leave no temporary file, and do not stop a later save.
/// The faults a test cannot produce on demand are injected through <see cref="AtomicFile.Faults"/>, as the
/// runtime reports them.
/// </summary>
public class SaveFaultTests
{
    /// <summary>A model whose every parameter holds <paramref name="generation"/>, so that a load tells which save it came from.</summary>
    internal static Network Generation(double generation, int[]? sizes = null)
    {
        var network = Network.Create(sizes ?? [40, 30, 1]);
        foreach (var p in network.Parameters) Tensor.Of(p.Value).Fill(generation);
        return network;
    }

    /// <summary>The generation a loaded model holds; fails unless every parameter holds the same one (a complete file of one save).</summary>
    internal static double GenerationOf(Network network)
    {
        double generation = network.Parameters[0].Value[0, 0];
        Assert.All(network.Parameters, p => Assert.All(Tensor.Of(p.Value).Array, v => Assert.Equal(generation, v)));
        return generation;
    }

    internal static string[] Temporaries(string directory) => Directory.GetFiles(directory, ".gd-*");

    /// <summary>Passes writes through until <paramref name="failAfter"/> bytes, then throws <paramref name="fault"/>; a negative count fails at the first Flush only.</summary>
    private sealed class FailingStream(Stream inner, long failAfter, Func<Exception> fault) : Stream
    {
        private long written;

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (failAfter >= 0 && written + count > failAfter) throw fault();
            inner.Write(buffer, offset, count);
            written += count;
        }

        public override void Flush()
        {
            if (failAfter < 0 || written >= failAfter) throw fault();
            inner.Flush();
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => written;
        public override long Position { get => written; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>What Linux's runtime throws for ENOSPC: an IOException naming the file written (here the temporary), HResult = errno 28.</summary>
    private static IOException NoSpace(string file) => new($"No space left on device : '{file}'", 28);

    /// <summary>Runs <paramref name="action"/> with <paramref name="fault"/> wrapping the temporary's stream, on this flow only.</summary>
    private static T WithFault<T>(Func<FileStream, Stream> fault, Func<T> action)
    {
        AtomicFile.Faults.Value = fault;
        try { return action(); }
        finally { AtomicFile.Faults.Value = null; }
    }

    /// <summary>The checks every failed save must pass: the target named, the previous file intact, no temporary, a later save succeeds.</summary>
    private static void AssertFailedCleanly(IOException error, string path, double previous, string cause)
    {
        Assert.Contains(path, error.Message);
        Assert.Contains(cause, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(error.InnerException);
        Assert.Equal(previous, GenerationOf(ModelFile.Load(path)));
        Assert.Empty(Temporaries(Path.GetDirectoryName(path)!));
        ModelFile.Save(Generation(previous + 1), path);
        Assert.Equal(previous + 1, GenerationOf(ModelFile.Load(path)));
        Assert.Empty(Temporaries(Path.GetDirectoryName(path)!));
    }

    [Theory]
    [InlineData(0)]          // at the first byte
    [InlineData(3_000)]      // in the middle of the parameters
    [InlineData(-1)]         // only when the content is flushed
    public void AFullDiskNamesTheTargetKeepsThePreviousFileAndLeavesNoTemporary(long failAfter)
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.gdmodel");
        ModelFile.Save(Generation(1), path);
        var error = Assert.Throws<IOException>(() => WithFault(
            file => new FailingStream(file, failAfter, () => NoSpace(file.Name)), () => { ModelFile.Save(Generation(2), path); return 0; }));
        AssertFailedCleanly(error, path, previous: 1, cause: "no space left");
        Assert.Equal(28, error.InnerException!.HResult);
    }

    [Fact]
    public void APermissionRefusedNamesTheTarget()
    {
        using var dir = new TempDirectory();
        var folder = Directory.CreateDirectory(dir.File("locked")).FullName;
        var path = Path.Combine(folder, "model.gdmodel");
        ModelFile.Save(Generation(1), path);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            // Root (and Windows, where the mode is not set) may still write: the refusal is then injected as the runtime reports EACCES.
            bool enforced = !OperatingSystem.IsWindows() && !CanCreate(Path.Combine(folder, "probe"));
            var error = Assert.Throws<IOException>(() => WithFault(
                enforced ? null! : file => throw new UnauthorizedAccessException($"Access to the path '{file.Name}' is denied."),
                () => { ModelFile.Save(Generation(2), path); return 0; }));
            Assert.IsType<UnauthorizedAccessException>(error.InnerException);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            AssertFailedCleanly(error, path, previous: 1, cause: "permission");
        }
        finally
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static bool CanCreate(string file)
    {
        try { File.WriteAllBytes(file, []); File.Delete(file); return true; }
        catch (UnauthorizedAccessException) { return false; }
    }

    [Fact]
    public void AFolderThatCannotBeMadeNamesTheTarget()
    {
        using var dir = new TempDirectory();
        // The folder is made when missing; here a file stands where it would go, so making it fails.
        var blocker = dir.File("not-a-folder");
        File.WriteAllText(blocker, "keep me");
        var path = Path.Combine(blocker, "model.gdmodel");
        var error = Assert.Throws<IOException>(() => ModelFile.Save(Generation(1), path));
        Assert.Contains(path, error.Message);
        Assert.Contains("folder", error.Message);
        Assert.NotNull(error.InnerException);
        Assert.Equal("keep me", File.ReadAllText(blocker));
        Assert.Equal([blocker], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void AFolderRemovedDuringTheSaveNamesTheTargetAndALaterSaveMakesItAgain()
    {
        using var dir = new TempDirectory();
        var folder = dir.File("models");
        var path = Path.Combine(folder, "model.gdmodel");
        ModelFile.Save(Generation(1), path);
        var error = Assert.Throws<IOException>(() => WithFault(
            file => { Directory.Delete(folder, recursive: true); return file; }, () => { ModelFile.Save(Generation(2), path); return 0; }));
        Assert.Contains(path, error.Message);
        Assert.Contains("folder", error.Message);
        Assert.NotNull(error.InnerException);
        Assert.False(Directory.Exists(folder));
        ModelFile.Save(Generation(3), path);
        Assert.Equal(3, GenerationOf(ModelFile.Load(path)));
        Assert.Empty(Temporaries(folder));
    }

    [Fact]
    public void AnErrorOfTheWriterItselfIsNotDisguised()
    {
        using var dir = new TempDirectory();
        var path = dir.File("data.bin");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal("not a file error", Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.Write(new byte[100]); throw new InvalidOperationException("not a file error"); })).Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Empty(Temporaries(dir.Path));
    }
}
