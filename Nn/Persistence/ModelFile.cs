using System.Text;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>
/// Saves a trained network (architecture, training settings — L2 λ, dropout keep probability and seed — and
/// parameters, with a format version) to a file and loads it back, bit-exactly. Files of version 1 (without the
/// training settings) still load, as networks without regularisation. A network built from a list of
/// <see cref="Layer"/>s (convolution, pooling, batch norm) is saved with its layers and its batch-norm running averages. Activations are saved by name (the built-ins
/// under the names the former enum had); a user's own (<see cref="Activation.Of"/>) must be registered with
/// <see cref="OperationRegistry"/>, without parameters, to be saved and read back.
/// The file is written atomically (a crash leaves the previous file intact), and a SHA-256 over the content
/// detects corruption. Layout: magic, version, payload length, payload, hash; all little-endian.
/// </summary>
public static class ModelFile
{
    private static readonly byte[] Magic = "GRAPHDIFF-MODEL\n"u8.ToArray();

    /// <summary>The format version this library writes (3: with the precision); it reads this one and versions 1 and 2 (as double networks).</summary>
    public const int FormatVersion = 3;

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/>, replacing any previous file only once the new one is complete.</summary>
    /// <remarks>
    /// A model holding NaN or ∞ is refused (naming the parameter) rather than saved. The file is written as
    /// <see cref="AtomicFile"/> writes: saves to one path from several threads or processes all succeed and the last
    /// rename wins, while a load finds the old or the new model, whole; a save that fails (no space, no permission, no
    /// folder) throws an <see cref="IOException"/> naming <paramref name="path"/> and leaves the previous file as it
    /// was, as does a process killed during the save, whose temporary file the next save or load removes.
    /// </remarks>
    public static void Save(Network network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(path);
        foreach (var p in network.Parameters.Concat(network.RunningAverages))
            if (Tensor.Of(p.Value).FirstNonFinite() is { } bad)
                throw new ArgumentException($"Parameter '{p.Name}' holds {bad.Value} at row {bad.Row}, column {bad.Column}; a model with NaN or ∞ is not saved.", nameof(network));
        foreach (var activation in network.Architecture.Activations) RequireSavable(activation, nameof(network));
        ChecksummedFile.Write(path, Magic, FormatVersion, Payload(network));
    }

    private static byte[] Payload(Network network)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            var a = network.Architecture;
            if (!a.IsDense)
            {
                LayeredModelFormat.Write(writer, network);
                writer.Flush();
                return buffer.ToArray();
            }
            writer.Write(a.LayerSizes.Count);
            foreach (int n in a.LayerSizes) writer.Write(n);
            foreach (var activation in a.Activations) writer.Write(activation.Name);
            writer.Write(a.Cost.ToString());
            writer.Write(network.L2);
            writer.Write(network.KeepProbability);
            writer.Write(network.Seed);
            writer.Write((byte)network.Precision);
            writer.Write(network.Parameters.Count);
            foreach (var p in network.Parameters)
            {
                writer.Write(p.Name);
                writer.Write(p.Shape.Rows);
                writer.Write(p.Shape.Columns);
                foreach (double v in Tensor.Of(p.Value).Array) writer.Write(v);
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
        var payload = ChecksummedFile.Read(path, Magic, [1, 2, FormatVersion], "model", out int version);
        try
        {
            return Parse(path, payload, version);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException or OverflowException
                                      or FormatException and not DataFormatException)
        {
            throw new DataFormatException(path, $"the model description is inconsistent: {e.Message}", inner: e);
        }
    }

    /// <summary>The precision byte of a version-3 file (0 double, 1 single).</summary>
    internal static Precision ReadPrecision(BinaryReader reader, string path)
    {
        byte stored = reader.ReadByte();
        return Enum.IsDefined((Precision)stored) ? (Precision)stored
            : throw new DataFormatException(path, $"unknown precision {stored}; this GraphDiff knows 0 (double) and 1 (single).");
    }

    private static Network Parse(string path, byte[] payload, int version)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        int count = reader.ReadInt32();
        if (count == LayeredModelFormat.Marker && version >= 2)
        {
            var layered = LayeredModelFormat.Read(reader, path, payload.Length, version, name => ParseActivation(path, name), name => ParseEnum<CostFunction>(path, name));
            if (reader.BaseStream.Position != payload.Length)
                throw new DataFormatException(path, $"{payload.Length - reader.BaseStream.Position} unexpected bytes after the parameters.");
            return layered;
        }
        if (count is < 2 or > 10_000) throw new DataFormatException(path, $"implausible number of layer sizes {count}.");
        var sizes = Enumerable.Range(0, count).Select(_ => reader.ReadInt32()).ToArray();
        var activations = Enumerable.Range(0, count - 1).Select(_ => ParseActivation(path, reader.ReadString())).ToArray();
        var cost = ParseEnum<CostFunction>(path, reader.ReadString());
        // The parameters take 8 bytes each: sizes that need more than the payload holds are refused before allocating.
        long needed = 0;
        for (int l = 1; l < count; l++) needed = checked(needed + ((long)sizes[l] * sizes[l - 1] + sizes[l]) * 8);
        if (sizes.Any(n => n <= 0) || needed > payload.Length)
            throw new DataFormatException(path, $"layer sizes [{string.Join(", ", sizes)}] need {needed:N0} bytes of parameters but the file holds {payload.Length:N0}.");
        double l2 = 0, keep = 1;
        int seed = 1;
        if (version >= 2)
        {
            l2 = reader.ReadDouble();
            keep = reader.ReadDouble();
            seed = reader.ReadInt32();
            if (!(l2 >= 0 && double.IsFinite(l2)) || keep is not (> 0 and <= 1))
                throw new DataFormatException(path, $"training settings out of range: L2 λ = {l2}, dropout keep probability = {keep}.");
        }
        var precision = version >= 3 ? ReadPrecision(reader, path) : Precision.Double;
        var network = new Network(new Architecture(sizes, activations, cost), Initialization.Zeros, seed, l2, keep, precision);

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
            for (int i = 0; i < values.Length; i++)
                if (!double.IsFinite(values[i] = reader.ReadDouble()))
                    throw new DataFormatException(path, $"parameter '{name}' holds {values[i]} at element {i}; a model must be finite.");
            p.Value = DenseMatrix.OfColumnMajor(rows, columns, values);
        }
        if (reader.BaseStream.Position != payload.Length)
            throw new DataFormatException(path, $"{payload.Length - reader.BaseStream.Position} unexpected bytes after the parameters.");
        return network;
    }

    // A file names an activation only: a user's must be registered without parameters to be read back as itself.
    private static void RequireSavable(Activation activation, string parameter)
    {
        if (activation.Operation is not { } op || Activation.BuiltIns.Contains(activation)) return;
        if (op.Attributes.Count > 0)
            throw new ArgumentException($"The activation '{op.Name}' has parameters ({string.Join(", ", op.Attributes.Keys)}), which a model file does not keep: save the network's graph instead, GraphFile.Save(network.Model, path), or use an operation without parameters.", parameter);
        if (!OperationRegistry.IsRegistered(op))
            throw new ArgumentException($"The activation '{op.Name}' is not registered, so the model could not be read back: call OperationRegistry.Register(yourOperation) first.", parameter);
        RebuildProbe.EnsureRebuildsAlike(op, [new Shape(4, Shape.Batch)], new Shape(4, Shape.Batch), $"The activation '{op.Name}'");
    }

    // The built-ins by their names (the names of the enum that older files hold); a user's by the operation registry.
    private static Activation ParseActivation(string path, string text)
    {
        if (Activation.BuiltIns.FirstOrDefault(a => a.Name == text) is { } builtIn) return builtIn;
        try
        {
            if (text.Length > 0 && OperationRegistry.Create(text, new Dictionary<string, double>()) is { Attributes.Count: 0 } op) return Activation.Of(op);
        }
        catch (KeyNotFoundException) { }   // not registered: reported below with the names known
        throw new DataFormatException(path, $"unknown Activation '{text}'; expected one of {string.Join(", ", Activation.BuiltIns)} or an operation registered before loading (OperationRegistry.Register(yourOperation)).");
    }

    // Exact names only: Enum.TryParse would also take "Sigmoid, Tanh" (flags syntax) or "2".
    private static T ParseEnum<T>(string path, string text) where T : struct, Enum =>
        Enum.GetNames<T>().Contains(text, StringComparer.Ordinal)
            ? Enum.Parse<T>(text)
            : throw new DataFormatException(path, $"unknown {typeof(T).Name} '{text}'; expected one of {string.Join(", ", Enum.GetNames<T>())}.");
}
