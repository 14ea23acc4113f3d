namespace GraphDiff;

/// <summary>
/// Emits the ONNX nodes that compute one operation applied to <paramref name="inputs"/> (the ONNX names of its
/// operands' values) and returns the name of the result, which must have the node's shape. An operation carries
/// its own in <see cref="OperationInfo.Onnx"/>.
/// </summary>
public delegate string OnnxLowering(IOnnxWriter onnx, Node node, IReadOnlyList<string> inputs);

/// <summary>
/// The ONNX graph being written (opset 17), as an operation's lowering sees it: values are named strings and
/// every method returns the name of the value it creates. A value of shape (d1, …, dk, m) is the ONNX tensor of
/// dims (d1, …, dk, m), the same logical indices (rank 2: rows, columns), the batch dimension symbolic. GraphDiff.Onnx implements it; the interface lives here so that an operation can
/// declare its ONNX form without depending on the exporter.
/// </summary>
public interface IOnnxWriter
{
    /// <summary>
    /// Emits an ONNX node of type <paramref name="opType"/> (default domain) reading <paramref name="inputs"/>,
    /// with attributes given as (name, value) where a value is an <see cref="int"/>, <see cref="long"/>,
    /// <see cref="float"/>, <see cref="double"/> (written as float, as ONNX attributes are) or <c>long[]</c>;
    /// returns the name of its output.
    /// </summary>
    string Add(string opType, IReadOnlyList<string> inputs, params (string Name, object Value)[] attributes);

    /// <summary>A 1×1 constant of the export's element type, which broadcasts against any 2-D value.</summary>
    string Constant(double value);

    /// <summary>A 1-D int64 constant (axes, shapes, indices).</summary>
    string Int64s(params long[] values);

    /// <summary>The ONNX data type code of the export's element type (11 for float64, 1 for float32), e.g. for a <c>Cast</c>'s <c>to</c>.</summary>
    int ElementType { get; }
}
