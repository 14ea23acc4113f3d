using System.Text;
using MathNet.Numerics.LinearAlgebra.Double;

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

    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    // Nn's own operations, so that graphs using them can be read back.
    static GraphFile() => DropoutMaskOperation.Register();

    private enum Kind : byte { Input, Variable, Matrix, Filled, Operation }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/>. A graph using an operation that is not
    /// registered, or a variable holding NaN or ∞, is refused with an error naming it; nothing is written then.
    /// </summary>
    public static void Save(Model model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        Save([model.Cost, .. model.Outputs], model.Parameters, isModel: true, path);
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
        var (outputs, parameters, isModel) = Read(path);
        if (!isModel) throw new DataFormatException(path, "holds a graph, not a model; read it with GraphFile.Load.");
        return new Model(outputs[0], parameters, outputs.Skip(1).ToArray());
    }

    /// <summary>
    /// The outputs saved at <paramref name="path"/> (for a model: its cost, then its outputs). A file that is not
    /// a graph file, of another version, truncated, corrupted or inconsistent is refused naming the file; an
    /// operation that is not registered is refused naming it and how to register it.
    /// </summary>
    public static IReadOnlyList<Node> Load(string path) => Read(path).Outputs;

    private static void Save(IReadOnlyList<Node> outputs, IReadOnlyList<Variable> parameters, bool isModel, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var o in outputs) ArgumentNullException.ThrowIfNull(o, nameof(outputs));
        OperationRegistry.EnsureRegistered(outputs);
        var order = Graph.Order(outputs);
        foreach (var v in order.OfType<Variable>())
            if (Tensor.Of(v.Value).FirstNonFinite() is { } bad)
                throw new ArgumentException($"Variable '{v.Name}' holds {bad.Value} at row {bad.Row}, column {bad.Column}; a graph with NaN or ∞ is not saved.", nameof(outputs));
        var index = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        for (int k = 0; k < order.Count; k++) index[order[k]] = k;
        foreach (var p in parameters)
            if (!index.ContainsKey(p)) throw new ArgumentException($"Parameter '{p.Name}' is not in the model's graph.", nameof(parameters));

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(isModel);
            writer.Write(order.Count);
            foreach (var node in order) WriteNode(writer, node, index);
            writer.Write(outputs.Count);
            foreach (var o in outputs) writer.Write(index[o]);
            writer.Write(parameters.Count);
            foreach (var p in parameters) writer.Write(index[p]);
        }
        ChecksummedFile.Write(path, Magic, FormatVersion, buffer.ToArray());
    }

    private static void WriteNode(BinaryWriter writer, Node node, Dictionary<Node, int> index)
    {
        (Kind kind, Tensor? values) = node switch
        {
            Input => (Kind.Input, null),
            Variable v => (Kind.Variable, Tensor.Of(v.Value)),
            Constant { Fill: null } matrix => (Kind.Matrix, ValueOf(matrix)),
            Constant => (Kind.Filled, null),
            _ => (Kind.Operation, (Tensor?)null),
        };
        writer.Write((byte)kind);
        writer.Write(node.Name ?? "");
        writer.Write(node.Location.File);
        writer.Write(node.Location.Line);
        writer.Write(node.Shape.Rows);
        writer.Write(node.Shape.Columns);
        if (values is { } t)
            for (int j = 0; j < t.Columns; j++)
                foreach (double x in t.Column(j)) writer.Write(x);
        if (node is Constant { Fill: { } fill }) writer.Write(fill);
        if (kind != Kind.Operation) return;
        writer.Write(node.Operation.Name);
        var attributes = node.Operation.Attributes;
        writer.Write(attributes.Count);
        foreach (var (key, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal)) { writer.Write(key); writer.Write(value); }
        writer.Write(node.Inputs.Count);
        foreach (var input in node.Inputs) writer.Write(index[input]);
    }

    /// <summary>A matrix constant's value (a constant that is not a fill has a fixed shape), copied out.</summary>
    private static Tensor ValueOf(Constant matrix)
    {
        var value = new Tensor(new double[matrix.Shape.ElementCount()], matrix.Shape.Rows, matrix.Shape.Columns);
        matrix.WriteTo(value);
        return value;
    }

    private static (IReadOnlyList<Node> Outputs, IReadOnlyList<Variable> Parameters, bool IsModel) Read(string path)
    {
        var payload = ChecksummedFile.Read(path, Magic, FormatVersion, "graph");
        try
        {
            return Parse(path, payload);
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

    private static (IReadOnlyList<Node>, IReadOnlyList<Variable>, bool) Parse(string path, byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        bool isModel = reader.ReadBoolean();
        int count = reader.ReadInt32();
        // Every node takes at least a dozen bytes: a count the payload cannot hold is refused before allocating.
        if (count < 1 || count > payload.Length / 12) throw new DataFormatException(path, $"implausible number of nodes {count} for {payload.Length:N0} bytes.");
        var nodes = new Node[count];
        for (int k = 0; k < count; k++) nodes[k] = ReadNode(path, reader, nodes, k, payload.Length);
        var outputs = ReadIndices(path, reader, nodes, "output");
        var parameters = ReadIndices(path, reader, nodes, "parameter")
            .Select(n => n as Variable ?? throw new DataFormatException(path, $"parameter {n.Label} is not a variable.")).ToArray();
        if (outputs.Length == 0) throw new DataFormatException(path, "holds no outputs.");
        if (reader.BaseStream.Position != payload.Length)
            throw new DataFormatException(path, $"{payload.Length - reader.BaseStream.Position} unexpected bytes after the graph.");
        return (outputs, parameters, isModel);
    }

    private static Node ReadNode(string path, BinaryReader reader, Node[] nodes, int k, int payloadLength)
    {
        var kind = (Kind)reader.ReadByte();
        string name = reader.ReadString(), file = reader.ReadString();
        int line = reader.ReadInt32(), rows = reader.ReadInt32(), columns = reader.ReadInt32();
        string? optionalName = name.Length == 0 ? null : name;
        Shape.Validate(rows, columns, $"node {k}");
        switch (kind)
        {
            case Kind.Input:
                return Graph.Input(name, rows, columns, file, line);
            case Kind.Variable:
                return Graph.Variable(name, ReadMatrix(path, reader, rows, columns, payloadLength, name), file, line);
            case Kind.Matrix:
                return Graph.Constant(ReadMatrix(path, reader, rows, columns, payloadLength, name), optionalName, file, line);
            case Kind.Filled:
                return Graph.Filled(new Shape(rows, columns), reader.ReadDouble(), optionalName, file, line);
            case Kind.Operation:
                string op = reader.ReadString();
                int attributeCount = reader.ReadInt32();
                if (attributeCount is < 0 or > 64) throw new DataFormatException(path, $"node {k} ({op}) has an implausible {attributeCount} attributes.");
                var attributes = new Dictionary<string, double>(StringComparer.Ordinal);
                for (int a = 0; a < attributeCount; a++) attributes[reader.ReadString()] = reader.ReadDouble();
                int inputCount = reader.ReadInt32();
                if (inputCount is < 0 or > 1024) throw new DataFormatException(path, $"node {k} ({op}) has an implausible {inputCount} operands.");
                var inputs = new Node[inputCount];
                for (int i = 0; i < inputCount; i++)
                {
                    int at = reader.ReadInt32();
                    // Nodes are written inputs first: an operand must come before the node that reads it.
                    if (at < 0 || at >= k) throw new DataFormatException(path, $"node {k} ({op}) reads node {at}, which is not written before it.");
                    inputs[i] = nodes[at];
                }
                var operation = OperationRegistry.Create(op, attributes);
                RefuseUnknownAttributes(path, k, op, attributes, operation.Attributes);
                var node = Node.Apply(operation, inputs, new SourceLocation(file, line), optionalName);
                if (node.Shape != new Shape(rows, columns))
                    throw new DataFormatException(path, $"node {k} ({op}) has shape {node.Shape} when read back, but was saved as {new Shape(rows, columns)}.");
                return node;
            default:
                throw new DataFormatException(path, $"node {k} is of unknown kind {(byte)kind}.");
        }
    }

    /// <summary>
    /// Refuses an operation that does not rebuild with the attributes it was saved with. A factory reads the
    /// attributes it knows and ignores the rest, so a file from a newer GraphDiff that gives an operation a new
    /// attribute (without a new format version) would otherwise load as another graph than the one saved.
    /// </summary>
    private static void RefuseUnknownAttributes(string path, int k, string op, Dictionary<string, double> saved, IReadOnlyDictionary<string, double> rebuilt)
    {
        if (saved.Count == rebuilt.Count && saved.All(a => rebuilt.TryGetValue(a.Key, out var v) && v.Equals(a.Value))) return;
        static string List(IEnumerable<KeyValuePair<string, double>> attributes) =>
            attributes.Any() ? string.Join(", ", attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"'{a.Key}' = {a.Value}")) : "none";
        throw new DataFormatException(path,
            $"node {k} ({op}) is saved with attributes {List(saved)}, but this GraphDiff builds {op} with {List(rebuilt)}: the file was written by " +
            $"another (newer?) GraphDiff or by a different registration of {op}. This GraphDiff reads graph format version {FormatVersion} with the attributes it knows.");
    }

    private static DenseMatrix ReadMatrix(string path, BinaryReader reader, int rows, int columns, int payloadLength, string name)
    {
        long count = (long)rows * columns;
        if (rows < 0 || columns < 0 || count * 8 > payloadLength)
            throw new DataFormatException(path, $"'{name}' of {rows}×{columns} needs {count * 8:N0} bytes but the file holds {payloadLength:N0}.");
        var values = new double[count];
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i] = reader.ReadDouble()))
                throw new DataFormatException(path, $"'{name}' holds {values[i]} at element {i}; a saved graph must be finite.");
        return DenseMatrix.OfColumnMajor(rows, columns, values);
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
