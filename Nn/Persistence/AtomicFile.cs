#if LINKED_FILE_WRITING
// Also compiled, internal, into GraphDiff.Onnx and GraphDiff.Plots (a linked source file: their files are saved the
// same way without a public type for it); in a namespace of its own there, so that the test project, which sees
// every library's internals, still finds one AtomicFile in GraphDiff.Nn.
namespace GraphDiff.Files;
#else
namespace GraphDiff.Nn;
#endif

/// <summary>
/// Writes a file so that it is either completely the new content or still the old one: the content goes to a
/// temporary file of its own beside the target, is flushed to disk, and then replaces the target in one rename
/// that never removes the target first, so a reader always finds a complete file, the old or the new.
/// </summary>
/// <remarks>
/// <para>Saves to one path from several threads or processes all succeed, each with its own temporary; the last
/// rename wins, and the file is then wholly that save's content.</para>
/// <para>A save that fails (no space left, no permission, a folder that is gone or cannot be made) throws an
/// <see cref="IOException"/> naming the target and the cause, with the runtime's error as its
/// <see cref="Exception.InnerException"/>; the previous file is left as it was and the temporary is removed.</para>
/// <para>A writer killed mid-save (a crash, kill -9, power loss) leaves its temporary behind. The next save, or the
/// next load by this library, of the same target removes it once its process is gone, or once it is a day old
/// (for a process id reused since); only temporaries this library names for that target (<c>.gd-…tmp</c>), never
/// another program's files.</para>
/// </remarks>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> atomically with <paramref name="write"/> (making its folder if needed). On a
    /// file-system failure throws an <see cref="IOException"/> naming <paramref name="path"/> and the cause; the old
    /// file is left intact then, as it is when <paramref name="write"/> throws (its exception is passed on as is).
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        try { Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(full, $"its folder {directory} could not be made ({e.Message})", e);
        }
        TemporaryFiles.RemoveStale(full);
        var temporary = TemporaryFiles.NewName(full);
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var stream = Faults.Value?.Invoke(file) ?? file)
            {
                write(stream);
                stream.Flush();
                file.Flush(flushToDisk: true);
            }
            // One rename(2) over the target (MoveFileEx on Windows): the target is never absent, and a concurrent
            // rename by another save simply comes before or after this one.
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(full, Cause(e, directory), e);
        }
        finally
        {
            TemporaryFiles.TryDelete(temporary);
        }
    }

    /// <summary>
    /// A test seam: wraps the temporary file's stream (for this async flow only) in one that fails as a full disk,
    /// a removed folder or a refused permission would, which a test cannot produce on demand.
    /// </summary>
    internal static readonly AsyncLocal<Func<FileStream, Stream>?> Faults = new();

    private static IOException Failed(string target, string cause, Exception inner) =>
        new($"Could not save {target}: {cause}. The file there before, if any, is unchanged.", inner);

    /// <summary>The cause in the user's terms: the runtime's message names only the hidden temporary.</summary>
    private static string Cause(Exception e, string directory) => e switch
    {
        UnauthorizedAccessException => $"permission denied ({e.Message})",
        _ when IsDiskFull(e) => $"no space left on the device ({e.Message})",
        // EROFS: a read-only mount, which even root cannot write.
        IOException { HResult: 30 } when !OperatingSystem.IsWindows() => $"the file system is read-only ({e.Message})",
        _ when !Directory.Exists(directory) => $"its folder {directory} was removed during the save ({e.Message})",
        _ => e.Message,
    };

    /// <summary>ENOSPC or EDQUOT (the runtime puts errno in HResult on Unix); ERROR_DISK_FULL or ERROR_HANDLE_DISK_FULL on Windows.</summary>
    private static bool IsDiskFull(Exception e) => OperatingSystem.IsWindows()
        ? (e.HResult & 0xFFFF) is 0x70 or 0x27
        : e.HResult is 28 or 122;
}
