using System.Security.Cryptography;
using System.Text;

namespace GraphDiff.Nn;

/// <summary>
/// Writes a file so that it is either completely the new content or still the old one: the content goes to a
/// temporary file beside the target, is flushed to disk, and then replaces the target in one rename. A process
/// killed mid-write leaves its temporary behind; the next write to the same target removes it.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically with <paramref name="write"/>; on failure the old file is left intact.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string prefix = TemporaryPrefix(full);
        RemoveStaleTemporaries(directory, prefix);
        // A short name (not the target's name plus a suffix) so that a target name near the file system's
        // 255-byte limit still has room for its temporary.
        var temporary = Path.Combine(directory, $"{prefix}{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>The temporaries of one target share a prefix made from a hash of its full path: <c>.gd-1a2b3c4d-</c>.</summary>
    internal static string TemporaryPrefix(string fullPath) =>
        $".gd-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(fullPath)), 0, 4).ToLowerInvariant()}-";

    /// <summary>
    /// Deletes temporaries of this target left by writers that died. One still being written by a live writer is
    /// locked (<see cref="FileShare.None"/>) and is left alone.
    /// </summary>
    private static void RemoveStaleTemporaries(string directory, string prefix)
    {
        IEnumerable<string> stale;
        try { stale = Directory.EnumerateFiles(directory, prefix + "*.tmp").ToArray(); }
        catch (IOException) { return; }
        foreach (var file in stale)
        {
            try
            {
                using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                File.Delete(file);
            }
            catch (IOException) { /* in use by a live writer, or already gone */ }
            catch (UnauthorizedAccessException) { }
        }
    }
}
