using System.Text;

namespace GraphDiff.Nn;

/// <summary>
/// Saves any graph, or a <see cref="Model"/> (cost, parameters, outputs), with its variables' values, and reads
/// it back: operations by their registered name and attributes (<see cref="OperationRegistry"/>), leaves with
/// their names, shapes and values, every node with the source line that built it. A loaded graph evaluates and
/// differentiates bit-identically to the saved one. Files are versioned, checksummed (SHA-256) and written
/// atomically, like <see cref="ModelFile"/>.
/// </summary>
public static class GraphFile
{
    private static readonly byte[] Magic = "GRAPHDIFF-GRAPH\n"u8.ToArray();

    /// <summary>
    /// The format version this library writes; it reads this one, version 2 (a model without its precision: read as
    /// double) and version 1 (rank-2 shapes only, as rows and columns, where version 2 writes every axis). Version 3
    /// adds a model's <see cref="Model.Precision"/>; a graph has none.
    /// </summary>
    public const int FormatVersion = 3;

    // Nn's own operations, so that graphs using them can be read back.
    static GraphFile() => DropoutMaskOperation.Register();

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/>. A graph using an operation that is not
    /// registered, or a variable holding NaN or ∞, is refused with an error naming it; nothing is written then.
    /// </summary>
    public static void Save(Model model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        Save([model.Cost, .. model.Outputs], model.Parameters, isModel: true, path, model.Precision);
    }

    /// <summary>Writes the graphs of <paramref name="outputs"/> to <paramref name="path"/>; see <see cref="Save(Model, string)"/>.</summary>
    public static void Save(IReadOnlyList<Node> outputs, string path)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0) throw new ArgumentException("Nothing to save: give at least one output.", nameof(outputs));
        Save(outputs, [], isModel: false, path);
    }

    /// <summary>The model saved by <see cref="Save(Model, string)"/> at <paramref name="path"/>.</summary>
    public static Model LoadModel(string path)
    {
        var (outputs, parameters, isModel, precision) = Read(path);
        if (!isModel) throw new DataFormatException(path, "holds a graph, not a model; read it with GraphFile.Load.");
        return new Model(outputs[0], parameters, outputs.Skip(1).ToArray(), precision);
    }

    /// <summary>
    /// The outputs saved at <paramref name="path"/> (for a model: its cost, then its outputs). A file that is not
    /// a graph file, of another version, truncated, corrupted or inconsistent is refused naming the file; an
    /// operation that is not registered is refused naming it and how to register it.
    /// </summary>
    public static IReadOnlyList<Node> Load(string path) => Read(path).Outputs;

    private static void Save(IReadOnlyList<Node> outputs, IReadOnlyList<Variable> parameters, bool isModel, string path, Precision precision = Precision.Double)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var o in outputs) ArgumentNullException.ThrowIfNull(o, nameof(outputs));
        OperationRegistry.EnsureRegistered(outputs);
        var order = Graph.Order(outputs);
        foreach (var v in order.OfType<Variable>())
            if (Tensor.Of(v.Value).FirstNonFinite() is { } bad)
                throw new ArgumentException($"Variable '{v.Name}' holds {bad.Value} at {v.Shape.PositionOf(bad.Row, bad.Column)}; a graph with NaN or ∞ is not saved.", nameof(outputs));
        var index = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        for (int k = 0; k < order.Count; k++) index[order[k]] = k;
        foreach (var p in parameters)
            if (!index.ContainsKey(p)) throw new ArgumentException($"Parameter '{p.Name}' is not in the model's graph.", nameof(parameters));

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(isModel);
            writer.Write(order.Count);
            foreach (var node in order) GraphFileNodes.Write(writer, node, index);
            writer.Write(outputs.Count);
            foreach (var o in outputs) writer.Write(index[o]);
            writer.Write(parameters.Count);
            foreach (var p in parameters) writer.Write(index[p]);
            if (isModel) writer.Write((byte)precision);   // since version 3: what the model trains in
        }
        ChecksummedFile.Write(path, Magic, FormatVersion, buffer.ToArray());
    }

    private static (IReadOnlyList<Node> Outputs, IReadOnlyList<Variable> Parameters, bool IsModel, Precision Precision) Read(string path)
    {
        var payload = ChecksummedFile.Read(path, Magic, [1, 2, FormatVersion], "graph", out int version);
        try
        {
            return Parse(path, payload, version);
        }
        catch (KeyNotFoundException e)
        {
            throw new DataFormatException(path, e.Message, inner: e);   // an unregistered operation: the message says how to register it
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException or OverflowException
                                      or ShapeMismatchException or InvalidOperationException or FormatException and not DataFormatException)
        {
            throw new DataFormatException(path, $"the graph description is inconsistent: {e.Message}", inner: e);
        }
    }

    private static (IReadOnlyList<Node>, IReadOnlyList<Variable>, bool, Precision) Parse(string path, byte[] payload, int version)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        bool isModel = reader.ReadBoolean();
        int count = reader.ReadInt32();
        // Every node takes at least a dozen bytes: a count the payload cannot hold is refused before allocating.
        if (count < 1 || count > payload.Length / 12) throw new DataFormatException(path, $"implausible number of nodes {count} for {payload.Length:N0} bytes.");
        var nodes = new Node[count];
        for (int k = 0; k < count; k++) nodes[k] = GraphFileNodes.Read(path, reader, nodes, k, payload.Length, version);
        var outputs = ReadIndices(path, reader, nodes, "output");
        var parameters = ReadIndices(path, reader, nodes, "parameter")
            .Select(n => n as Variable ?? throw new DataFormatException(path, $"parameter {n.Label} is not a variable.")).ToArray();
        if (outputs.Length == 0) throw new DataFormatException(path, "holds no outputs.");
        var precision = isModel && version >= 3 ? ModelFile.ReadPrecision(reader, path) : Precision.Double;
        if (reader.BaseStream.Position != payload.Length)
            throw new DataFormatException(path, $"{payload.Length - reader.BaseStream.Position} unexpected bytes after the graph.");
        return (outputs, parameters, isModel, precision);
    }

    private static Node[] ReadIndices(string path, BinaryReader reader, Node[] nodes, string what)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > nodes.Length) throw new DataFormatException(path, $"implausible number of {what}s {count}.");
        var result = new Node[count];
        for (int i = 0; i < count; i++)
        {
            int at = reader.ReadInt32();
            if (at < 0 || at >= nodes.Length) throw new DataFormatException(path, $"{what} {i} is node {at}, but the graph has {nodes.Length} nodes.");
            result[i] = nodes[at];
        }
        return result;
    }
}
