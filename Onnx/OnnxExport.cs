using System.Collections.Concurrent;
using Google.Protobuf;
using GraphDiff.Files;
using GraphDiff.Nn;
using GraphDiff.Onnx.Format;

namespace GraphDiff.Onnx;

/// <summary>
/// Writes a trained <see cref="Network"/>, or any graph whose operations have ONNX equivalents, as an ONNX
/// model (opset 17) that ONNX Runtime and other ONNX consumers run: inputs by their GraphDiff names with the
/// batch dimension m symbolic (X is n_x × m, examples are columns, as in GraphDiff; an image batch
/// (n_H, n_W, n_C, m) has those four dims), variables as initializers of their logical dims, in float64 (the
/// default) or float32. An operation without an ONNX equivalent is refused
/// with an error naming it; a user's operation can bring its own (<see cref="Register"/>).
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the files use.</summary>
    public const int Opset = 17;

    private static readonly ConcurrentDictionary<string, OnnxLowering> UserLowerings = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes <paramref name="network"/>'s prediction, input <c>X</c> (n_x × m) to output <c>probabilities</c>
    /// (n_L × m), to <paramref name="path"/> (atomically), in the network's precision (float32 for a network of
    /// <see cref="NetworkOptions.Precision"/> Single, float64 otherwise) unless <see cref="OnnxOptions.Float32"/> says.
    /// </summary>
    public static void Save(Network network, string path, OnnxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= OnnxOptions.Default;
        Save([("probabilities", network.Output)], path, options.Float32 is null ? options with { Float32 = network.Precision == Precision.Single } : options);
    }

    /// <summary>Writes the graphs of <paramref name="outputs"/>, each under its given name, to <paramref name="path"/> (atomically).</summary>
    public static void Save(IReadOnlyList<(string Name, Node Node)> outputs, string path, OnnxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = ToBytes(outputs, options);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The ONNX model of <paramref name="outputs"/> as bytes (for an in-memory ONNX Runtime session).</summary>
    public static byte[] ToBytes(IReadOnlyList<(string Name, Node Node)> outputs, OnnxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0) throw new ArgumentException("Nothing to export: give at least one output.", nameof(outputs));
        options ??= OnnxOptions.Default;
        foreach (var (name, node) in outputs)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(outputs));
            ArgumentNullException.ThrowIfNull(node, nameof(outputs));
        }
        if (outputs.Select(o => o.Name).Distinct().Count() != outputs.Count)
            throw new ArgumentException($"Output names must differ: {string.Join(", ", outputs.Select(o => o.Name))}.", nameof(outputs));

        var order = Graph.Order(outputs.Select(o => o.Node));
        RefuseUnsupported(order);
        var graph = new GraphProto { Name = options.GraphName };
        var onnx = new OnnxGraphBuilder(graph, options);
        var names = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in order)
            names[node] = node switch
            {
                Input input => AddInput(graph, onnx, input, taken),
                Variable v => onnx.Initializer(Unique(v.Name, taken), v.Shape, OnnxLayout.RowMajor(Tensor.Of(v.Value))),
                Constant c => AddConstant(onnx, c, taken),
                _ => LoweringOf(node.Operation)!(onnx, node, node.Inputs.Select(i => names[i]).ToArray()),
            };
        foreach (var (name, node) in outputs)
        {
            if (!taken.Add(name)) throw new ArgumentException($"The output name '{name}' is also the name of an input or variable.", nameof(outputs));
            var identity = new NodeProto { OpType = "Identity", Name = name };
            identity.Input.Add(names[node]);
            identity.Output.Add(name);
            graph.Node.Add(identity);
            graph.Output.Add(onnx.ValueInfo(name, node.Shape));
        }
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "GraphDiff",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    /// <summary>
    /// Registers how the operation named <paramref name="operationName"/> (a user's own that does not declare its
    /// <see cref="OperationInfo.Onnx"/>) is written in ONNX,
    /// e.g. swish: <c>(onnx, node, x) =&gt; onnx.Add("Mul", [x[0], onnx.Add("Sigmoid", [x[0]])])</c>.
    /// </summary>
    public static void Register(string operationName, OnnxLowering lowering)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operationName);
        ArgumentNullException.ThrowIfNull(lowering);
        if (Op.Operations.Any(o => o.Name == operationName))
            throw new ArgumentException($"'{operationName}' is a built-in operation with its own ONNX form.", nameof(operationName));
        UserLowerings[operationName] = lowering;
    }

    // The operation's own declaration first; a registered one for a user's operation that declares none.
    private static OnnxLowering? LoweringOf(Operation operation) =>
        operation.Info.Onnx is { } declared ? (ReferenceEquals(declared, OperationInfo.NoOnnx) ? null : declared)
        : UserLowerings.TryGetValue(operation.Name, out var user) ? user
        : null;

    private static void RefuseUnsupported(IReadOnlyList<Node> order)
    {
        var unsupported = order.Where(n => !n.IsLeaf && LoweringOf(n.Operation) is null).ToArray();
        if (unsupported.Length == 0) return;
        var missing = unsupported.GroupBy(n => n.Operation.Name).Select(g => $"'{g.Key}' (e.g. {g.First().Label}, built at {g.First().Location})");
        // Only a cost's losses are helped by exporting the prediction instead; other operations need a form.
        bool aLoss = unsupported.Any(n => n.Operation.Info.Meaning is OperationMeaning.BinaryCrossEntropy or OperationMeaning.BinaryCrossEntropyOfLogits or OperationMeaning.DistributionCrossEntropy);
        throw new NotSupportedException(
            $"No ONNX equivalent for {string.Join("; ", missing)}. " + (aLoss ? "Export the prediction rather than the cost. " : "")
            + "A user's operation declares its ONNX form in its Info.Onnx, or registers one with OnnxExport.Register(name, (onnx, node, inputs) => …).");
    }

    private static string AddInput(GraphProto graph, OnnxGraphBuilder onnx, Input input, HashSet<string> taken)
    {
        if (!taken.Add(input.Name)) throw new ArgumentException($"Two inputs are named '{input.Name}'; ONNX needs distinct names.");
        graph.Input.Add(onnx.ValueInfo(input.Name, input.Shape));
        return input.Name;
    }

    private static string AddConstant(OnnxGraphBuilder onnx, Constant c, HashSet<string> taken)
    {
        if (c.Fill is null)
        {
            // A matrix constant (a fill is the other kind) has a fixed shape: its value, copied out.
            var value = new Tensor(new double[c.Shape.ElementCount()], c.Shape.Rows, c.Shape.Columns);
            c.WriteTo(value);
            return onnx.Initializer(Unique(c.Name ?? "constant", taken), c.Shape, OnnxLayout.RowMajor(value));
        }
        if (c.Shape.HasBatch)
            throw new NotSupportedException($"The constant {c.Label} (built at {c.Location}) fills a shape with the batch dimension ({c.Shape}), which has no fixed ONNX value; export the prediction graph, which has none.");
        return onnx.Initializer(Unique(c.Name ?? "constant", taken), c.Shape, Enumerable.Repeat(c.Fill!.Value, (int)c.Shape.ElementCount()).ToArray());
    }

    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (int k = 1; !taken.Add(candidate); k++) candidate = $"{name}_{k}";
        return candidate;
    }
}
