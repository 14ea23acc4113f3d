using System.Buffers.Binary;
using Google.Protobuf;
using GraphDiff.Onnx.Format;

namespace GraphDiff.Onnx;

/// <summary>
/// The ONNX graph being written: the <see cref="IOnnxWriter"/> each operation's lowering emits its nodes
/// through, and the inputs, initializers and value types the exporter adds.
/// </summary>
internal sealed class OnnxGraphBuilder : IOnnxWriter
{
    private readonly GraphProto graph;
    private int next;

    internal OnnxGraphBuilder(GraphProto graph, OnnxOptions options)
    {
        this.graph = graph;
        Options = options;
    }

    /// <summary>The options of this export (element type, batch dimension name).</summary>
    public OnnxOptions Options { get; }

    /// <inheritdoc />
    public int ElementType => Options.Float32 != true ? (int)TensorProto.Types.DataType.Double : (int)TensorProto.Types.DataType.Float;

    /// <summary>A fresh value name.</summary>
    internal string FreshName(string stem) => $"{stem}_{next++}";

    /// <inheritdoc />
    public string Add(string opType, IReadOnlyList<string> inputs, params (string Name, object Value)[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        var output = FreshName(opType.ToLowerInvariant());
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(name, value));
        graph.Node.Add(node);
        return output;
    }

    /// <inheritdoc />
    public string Constant(double value) => Initializer(FreshName("const"), Shape.Scalar, [value]);

    /// <inheritdoc />
    public string Int64s(params long[] values)
    {
        var name = FreshName("ints");
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.Add(values.Length);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A named constant of the element type and the dims of <paramref name="shape"/>, <paramref name="rowMajor"/> in ONNX's order (<see cref="OnnxLayout"/>).</summary>
    internal string Initializer(string name, Shape shape, IReadOnlyList<double> rowMajor)
    {
        bool isDouble = Options.Float32 != true;
        var bytes = new byte[rowMajor.Count * (isDouble ? 8 : 4)];
        for (int i = 0; i < rowMajor.Count; i++)
            if (isDouble) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), rowMajor[i]);
            else BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), (float)rowMajor[i]);
        var tensor = new TensorProto { Name = name, DataType = ElementType, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(OnnxLayout.Dims(shape));
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>The type of a value of <paramref name="shape"/> (any rank, its logical dims), the batch dimension symbolic.</summary>
    internal ValueInfoProto ValueInfo(string name, Shape shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (int d in shape.Dimensions)
            tensorShape.Dim.Add(d == Shape.Batch ? new TensorShapeProto.Types.Dimension { DimParam = Options.BatchDimension } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = ElementType, Shape = tensorShape } } };
    }

    private static AttributeProto Attribute(string name, object value) => value switch
    {
        int i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
        long l => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = l },
        float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
        double d => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)d },
        long[] ls => Ints(name, ls),
        _ => throw new ArgumentException($"Attribute '{name}': values of type {value?.GetType().Name ?? "null"} are not supported; use int, long, float, double or long[].", nameof(value)),
    };

    private static AttributeProto Ints(string name, long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }
}
