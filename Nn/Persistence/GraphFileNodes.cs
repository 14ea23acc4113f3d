using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>
/// One node of a graph file: its kind, name, source line and shape, then a leaf's value or an operation's name,
/// attributes and operands. Version 1 wrote a shape as rows and columns; version 2 writes its rank and every axis,
/// so an image batch (28, 28, 1, m) or a kernel (5, 5, 1, 8) reads back as itself, not as its storage matrix.
/// </summary>
internal static class GraphFileNodes
{
    private enum Kind : byte { Input, Variable, Matrix, Filled, Operation }

    public static void Write(BinaryWriter writer, Node node, Dictionary<Node, int> index)
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
        int[] dimensions = node.Shape.Dimensions;
        writer.Write(dimensions.Length);
        foreach (int d in dimensions) writer.Write(d);
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

    public static Node Read(string path, BinaryReader reader, Node[] nodes, int k, int payloadLength, int version)
    {
        var kind = (Kind)reader.ReadByte();
        string name = reader.ReadString(), file = reader.ReadString();
        int line = reader.ReadInt32();
        string? optionalName = name.Length == 0 ? null : name;
        var shape = ReadShape(path, reader, version, $"node {k}{(optionalName is null ? "" : $" ('{name}')")}");
        switch (kind)
        {
            case Kind.Input:
                return Graph.Input(name, shape, file, line);
            case Kind.Variable:
                return Graph.Variable(name, shape, ReadMatrix(path, reader, shape, payloadLength, name), file, line);
            case Kind.Matrix:
                return Graph.Constant(shape, ReadMatrix(path, reader, shape, payloadLength, name), optionalName, file, line);
            case Kind.Filled:
                return Graph.Filled(shape, reader.ReadDouble(), optionalName, file, line);
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
                if (node.Shape != shape)
                    throw new DataFormatException(path, $"node {k} ({op}) has shape {node.Shape} when read back, but was saved as {shape}.");
                return node;
            default:
                throw new DataFormatException(path, $"node {k} is of unknown kind {(byte)kind}.");
        }
    }

    /// <summary>
    /// A node's shape: rows and columns in version 1, rank then every axis in version 2. A rank or a dimension no
    /// shape can have is refused naming the file and the node, before anything is allocated for it.
    /// </summary>
    private static Shape ReadShape(string path, BinaryReader reader, int version, string what)
    {
        int rank = version == 1 ? 2 : reader.ReadInt32();
        if (rank is < 2 or > Shape.MaxRank)
            throw new DataFormatException(path, $"{what} has rank {rank}; a shape has 2 to {Shape.MaxRank} axes, so the file is corrupt.");
        var dimensions = new int[rank];
        for (int a = 0; a < rank; a++) dimensions[a] = reader.ReadInt32();
        try
        {
            var shape = Shape.Of(dimensions);
            Shape.Validate(shape.Rows, shape.Columns, what);
            return shape;
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(path, $"{what} has dimensions ({string.Join(", ", dimensions)}), which no shape has: {e.Message}", inner: e);
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
            $"another (newer?) GraphDiff or by a different registration of {op}. This GraphDiff reads graph format version {GraphFile.FormatVersion} with the attributes it knows.");
    }

    private static DenseMatrix ReadMatrix(string path, BinaryReader reader, Shape shape, int payloadLength, string name)
    {
        int rows = shape.Rows, columns = shape.Columns;
        long count = (long)rows * columns;
        if (rows < 0 || columns < 0 || count * 8 > payloadLength)
            throw new DataFormatException(path, $"'{name}' of {shape} needs {count * 8:N0} bytes but the file holds {payloadLength:N0}.");
        var values = new double[count];
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i] = reader.ReadDouble()))
                throw new DataFormatException(path, $"'{name}' holds {values[i]} at element {i}; a saved graph must be finite.");
        return DenseMatrix.OfColumnMajor(rows, columns, values);
    }
}
