using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

#if LINKED_FILE_WRITING
// Linked into GraphDiff.Onnx and GraphDiff.Plots with AtomicFile (see there).
namespace GraphDiff.Files;
#else
namespace GraphDiff.Nn;
#endif

/// <summary>
/// The temporaries <see cref="AtomicFile"/> writes, and which of them are stale. A name says whose it is:
/// <c>.gd-&lt;target&gt;-&lt;host&gt;-&lt;pid&gt;-&lt;random&gt;.tmp</c>, with hashes of the target's full path and of the machine's
/// name. Short (not the target's name plus a suffix), so that a target name near the file system's 255-byte limit
/// still has room for its temporary.
/// </summary>
internal static class TemporaryFiles
{
    /// <summary>Old enough to be stale whatever its name says: a process id can be reused by a live process after its writer died.</summary>
    internal static readonly TimeSpan MaximumAge = TimeSpan.FromHours(24);

    /// <summary>The machine, so that a temporary written by another machine on a shared folder is not judged by this machine's process ids.</summary>
    private static readonly string Host = Hash(Environment.MachineName);

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 4).ToLowerInvariant();

    /// <summary>The temporaries of one target share a prefix made from a hash of its full path: <c>.gd-1a2b3c4d-</c>.</summary>
    internal static string Prefix(string fullPath) => $".gd-{Hash(fullPath)}-";

    /// <summary>The name of a temporary of <paramref name="fullPath"/> written by process <paramref name="processId"/> of this machine.</summary>
    internal static string Name(string fullPath, int processId) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $"{Prefix(fullPath)}{Host}-{processId}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}.tmp");

    /// <summary>A new temporary's name for this process: unique per save, so that concurrent saves never share one.</summary>
    public static string NewName(string fullPath) => Name(fullPath, Environment.ProcessId);

    /// <summary>
    /// Deletes the temporaries of <paramref name="fullPath"/> left by writers that died (or a day old). Never throws:
    /// a folder that cannot be listed or a file that cannot be deleted (a read-only folder) is left as it is.
    /// </summary>
    public static void RemoveStale(string fullPath)
    {
        string prefix = Prefix(fullPath);
        string[] files;
        try { files = Directory.GetFiles(Path.GetDirectoryName(fullPath)!, prefix + "*.tmp"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var file in files)
            if (IsStale(file, prefix)) TryDelete(file);
    }

    /// <summary>
    /// <see cref="RemoveStale"/> for a reader, from the path as the user gave it: a path that cannot be made full
    /// is skipped (the read itself reports it), and nothing here ever stops the read.
    /// </summary>
    public static void RemoveStaleBeside(string path)
    {
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or IOException or NotSupportedException) { return; }
        RemoveStale(full);
    }

    public static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* already gone, or a folder we may not change */ }
    }

    private static bool IsStale(string file, string prefix)
    {
        var parts = Path.GetFileNameWithoutExtension(file)[prefix.Length..].Split('-');
        if (parts is [var host, var pid, _] && host == Host && int.TryParse(pid, out int processId) && !IsAlive(processId)) return true;
        // Another machine's, a name of an earlier GraphDiff, or a live process id: only age tells.
        return DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > MaximumAge;
    }

    /// <summary>Whether process <paramref name="processId"/> of this machine is running (an exited process not yet reaped counts as dead).</summary>
    private static bool IsAlive(int processId)
    {
        if (processId == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // The state follows the last ')': the command name in parentheses may itself hold spaces and parentheses.
                var stat = File.ReadAllText($"/proc/{processId}/stat");
                return stat.LastIndexOf(')') is int end and > 0 && end + 2 < stat.Length && stat[end + 2] is not ('Z' or 'X');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Directory.Exists($"/proc/{processId}"); }
        }
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }                // no such process
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { return true; }   // not ours to inspect: assume alive
    }
}
