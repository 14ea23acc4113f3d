using System.Security.Cryptography;
using System.Text;

namespace GraphDiff.Nn;

/// <summary>
/// The envelope every GraphDiff file shares: magic bytes, a format version, the payload's length, the payload,
/// and a SHA-256 of the payload; little-endian, written atomically (<see cref="AtomicFile"/>). Reading removes
/// the temporaries of dead writers beside the file, then checks each field in turn and names the file in every error.
/// </summary>
internal static class ChecksummedFile
{
    public static void Write(string path, byte[] magic, int version, byte[] payload)
    {
        var hash = SHA256.HashData(payload);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(magic);
            writer.Write(version);
            writer.Write(payload.Length);
            writer.Write(payload);
            writer.Write(hash);
        });
    }

    /// <summary>The payload of the file at <paramref name="path"/>, after every check; <paramref name="what"/> names the kind of file in errors.</summary>
    public static byte[] Read(string path, byte[] magic, int version, string what) => Read(path, magic, [version], what, out _);

    /// <summary>The payload, from a file of any of <paramref name="versions"/>; <paramref name="version"/> is the one found.</summary>
    public static byte[] Read(string path, byte[] magic, IReadOnlyList<int> versions, string what, out int version)
    {
        ArgumentNullException.ThrowIfNull(path);
        // A save killed before its rename leaves a temporary even when no file was ever completed: clean up first.
        TemporaryFiles.RemoveStaleBeside(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{what} file not found: {path}", path);
        var bytes = ReadAll(path, what);
        int header = magic.Length + 8;
        if (bytes.Length < magic.Length || !bytes.AsSpan(0, magic.Length).SequenceEqual(magic))
            throw new DataFormatException(path, $"not a GraphDiff {what} file (the magic bytes do not match).");
        if (bytes.Length < header) throw new DataFormatException(path, "truncated inside the header.");
        version = BitConverter.ToInt32(bytes, magic.Length);
        if (!versions.Contains(version))
            throw new DataFormatException(path, $"{what} format version {version}; this GraphDiff reads version{(versions.Count > 1 ? "s" : "")} {Listed(versions)}.");
        int length = BitConverter.ToInt32(bytes, magic.Length + 4);
        if (length < 0 || bytes.Length != header + (long)length + 32)
            throw new DataFormatException(path, $"truncated or padded: the header announces {length} bytes of content, so {header + (long)length + 32} bytes in all, but the file has {bytes.Length}.");
        var payload = bytes.AsSpan(header, length);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(header + length, 32)))
            throw new DataFormatException(path, "corrupted: the content does not match its SHA-256 checksum.");
        return payload.ToArray();
    }

    private static byte[] ReadAll(string path, string what)
    {
        try
        {
            // FileShare.Delete: a save may rename its new file over this one while it is being read (on Windows,
            // where an open file cannot otherwise be replaced); this read keeps the old file's content.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            // Anything this library writes that fits in memory is far below this; refuse before reading.
            if (file.Length > Array.MaxLength) throw new DataFormatException(path, $"{file.Length:N0} bytes is larger than any {what} file this library writes.");
            var bytes = new byte[file.Length];
            file.ReadExactly(bytes);
            return bytes;
        }
        catch (IOException e) when (e is not FileNotFoundException) { throw new DataFormatException(path, $"could not be read: {e.Message}", inner: e); }
        catch (UnauthorizedAccessException e) { throw new DataFormatException(path, $"could not be read: {e.Message}", inner: e); }
    }

    /// <summary>"1", "1 and 2", "1, 2 and 3".</summary>
    private static string Listed(IReadOnlyList<int> versions) =>
        versions.Count == 1 ? $"{versions[0]}" : $"{string.Join(", ", versions.Take(versions.Count - 1))} and {versions[^1]}";
}
