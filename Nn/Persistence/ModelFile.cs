using System.Security.Cryptography;
using System.Text;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>
/// Saves a trained network (architecture, parameters, a format version) to a file and loads it back, bit-exactly.
/// The file is written atomically (a crash leaves the previous file intact), and a SHA-256 over the content
/// detects corruption. Layout: magic, version, payload length, payload, hash; all little-endian.
/// </summary>
public static class ModelFile
{
    private static readonly byte[] Magic = "GRAPHDIFF-MODEL\n"u8.ToArray();

    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/>, replacing any previous file only once the new one is complete.</summary>
    public static void Save(Network network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        var payload = Payload(network);
        var hash = SHA256.HashData(payload);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(payload.Length);
            writer.Write(payload);
            writer.Write(hash);
        });
    }

    private static byte[] Payload(Network network)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            var a = network.Architecture;
            writer.Write(a.LayerSizes.Count);
            foreach (int n in a.LayerSizes) writer.Write(n);
            foreach (var activation in a.Activations) writer.Write(activation.ToString());
            writer.Write(a.Cost.ToString());
            writer.Write(network.Parameters.Count);
            foreach (var p in network.Parameters)
            {
                writer.Write(p.Name);
                writer.Write(p.Shape.Rows);
                writer.Write(p.Shape.Columns);
                foreach (double v in Dense.Storage(p.Value)) writer.Write(v);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a network saved by <see cref="Save"/>. A file that is not a model, of another format version,
    /// truncated, corrupted, or whose parameters do not fit its architecture is refused with an error naming the file.
    /// </summary>
    public static Network Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file not found: {path}", path);
        var bytes = File.ReadAllBytes(path);
        int header = Magic.Length + 8;
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new DataFormatException(path, "not a GraphDiff model file (the magic bytes do not match).");
        if (bytes.Length < header) throw new DataFormatException(path, "truncated inside the header.");
        int version = BitConverter.ToInt32(bytes, Magic.Length);
        if (version != FormatVersion)
            throw new DataFormatException(path, $"model format version {version}; this GraphDiff reads version {FormatVersion}.");
        int length = BitConverter.ToInt32(bytes, Magic.Length + 4);
        if (length < 0 || bytes.Length != header + (long)length + 32)
            throw new DataFormatException(path, $"truncated or padded: the header announces {length} bytes of parameters, so {header + (long)length + 32} bytes in all, but the file has {bytes.Length}.");
        var payload = bytes.AsSpan(header, length);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(header + length, 32)))
            throw new DataFormatException(path, "corrupted: the content does not match its SHA-256 checksum.");
        try
        {
            return Parse(path, payload.ToArray());
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException)
        {
            throw new DataFormatException(path, $"the model description is inconsistent: {e.Message}", inner: e);
        }
    }

    private static Network Parse(string path, byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        int count = reader.ReadInt32();
        if (count is < 2 or > 10_000) throw new DataFormatException(path, $"implausible number of layer sizes {count}.");
        var sizes = Enumerable.Range(0, count).Select(_ => reader.ReadInt32()).ToArray();
        var activations = Enumerable.Range(0, count - 1).Select(_ => ParseEnum<Activation>(path, reader.ReadString())).ToArray();
        var cost = ParseEnum<CostFunction>(path, reader.ReadString());
        var network = new Network(new Architecture(sizes, activations, cost), Initialization.Zeros);

        int parameters = reader.ReadInt32();
        if (parameters != network.Parameters.Count)
            throw new DataFormatException(path, $"holds {parameters} parameters but its architecture {network.Architecture} has {network.Parameters.Count}.");
        foreach (var p in network.Parameters)
        {
            string name = reader.ReadString();
            int rows = reader.ReadInt32(), columns = reader.ReadInt32();
            if (name != p.Name || rows != p.Shape.Rows || columns != p.Shape.Columns)
                throw new DataFormatException(path, $"parameter '{name}' is {rows}×{columns}, but the architecture needs '{p.Name}' of {p.Shape}.");
            var values = new double[rows * columns];
            for (int i = 0; i < values.Length; i++) values[i] = reader.ReadDouble();
            p.Value = DenseMatrix.OfColumnMajor(rows, columns, values);
        }
        if (reader.BaseStream.Position != payload.Length)
            throw new DataFormatException(path, $"{payload.Length - reader.BaseStream.Position} unexpected bytes after the parameters.");
        return network;
    }

    private static T ParseEnum<T>(string path, string text) where T : struct, Enum =>
        Enum.TryParse<T>(text, out var value) && Enum.IsDefined(value)
            ? value
            : throw new DataFormatException(path, $"unknown {typeof(T).Name} '{text}'.");
}
