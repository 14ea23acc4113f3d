namespace GraphDiff.Onnx;

/// <summary>
/// Emits the ONNX nodes that compute one GraphDiff operation applied to <paramref name="inputs"/> (the ONNX
/// names of its operands' values) and returns the name of the result, which must have the node's shape.
/// </summary>
public delegate string OnnxLowering(OnnxGraphBuilder onnx, Node node, IReadOnlyList<string> inputs);

/// <summary>
/// The built-in operations in ONNX (opset 17), each written the way GraphDiff's kernel computes it, so that
/// float64 results agree to rounding: LeakyReLU as max(z, αz), Clip as min(max(x, low), high), softplus as
/// max(x, 0) + log(1 + e^−|x|).
/// </summary>
internal static class OnnxLowerings
{
    public static readonly Dictionary<string, OnnxLowering> BuiltIn = new(StringComparer.Ordinal)
    {
        ["Add"] = Same("Add"), ["Subtract"] = Same("Sub"), ["Multiply"] = Same("Mul"), ["Divide"] = Same("Div"), ["Negate"] = Same("Neg"),
        ["Exp"] = Same("Exp"), ["Log"] = Same("Log"), ["Sqrt"] = Same("Sqrt"), ["Abs"] = Same("Abs"),
        ["Sigmoid"] = Same("Sigmoid"), ["Tanh"] = Same("Tanh"), ["ReLU"] = Same("Relu"),
        ["Square"] = (onnx, _, x) => onnx.Add("Mul", [x[0], x[0]]),
        ["Softplus"] = (onnx, _, x) =>
            onnx.Add("Add", [onnx.Add("Relu", [x[0]]), onnx.Add("Log", [onnx.Add("Add", [onnx.Constant(1), onnx.Add("Exp", [onnx.Add("Neg", [onnx.Add("Abs", [x[0]])])])])])]),
        ["Step"] = (onnx, _, x) => onnx.Add("Cast", [onnx.Add("Greater", [x[0], onnx.Constant(0)])], ("to", (long)onnx.ElementTypeCode)),
        ["LeakyReLU"] = (onnx, node, x) => onnx.Add("Max", [x[0], onnx.Add("Mul", [x[0], onnx.Constant(node.Operation.Attributes["alpha"])])]),
        ["Clip"] = (onnx, node, x) => onnx.Add("Min", [onnx.Add("Max", [x[0], onnx.Constant(node.Operation.Attributes["low"])]), onnx.Constant(node.Operation.Attributes["high"])]),
        ["Power"] = (onnx, node, x) => onnx.Add("Pow", [x[0], onnx.Constant(node.Operation.Attributes["exponent"])]),
        ["MatMul"] = (onnx, node, x) => onnx.Add("MatMul", [
            node.Operation.Attributes["transposeA"] == 1 ? Transpose(onnx, x[0]) : x[0],
            node.Operation.Attributes["transposeB"] == 1 ? Transpose(onnx, x[1]) : x[1]]),
        ["Transpose"] = (onnx, _, x) => Transpose(onnx, x[0]),
        ["Sum"] = (onnx, node, x) => node.Operation.Attributes.TryGetValue("axis", out var axis)
            ? onnx.Add("ReduceSum", [x[0], onnx.Int64s((long)axis)], ("keepdims", 1L))
            : onnx.Add("ReduceSum", [x[0]], ("keepdims", 1L)),
        ["Count"] = (onnx, node, x) =>
        {
            var count = node.Operation.Attributes.TryGetValue("axis", out var axis)
                ? onnx.Add("Gather", [onnx.Add("Shape", [x[0]]), onnx.Int64s((long)axis)])
                : onnx.Add("Size", [x[0]]);
            return onnx.Add("Reshape", [onnx.Add("Cast", [count], ("to", (long)onnx.ElementTypeCode)), onnx.Int64s(1, 1)]);
        },
        ["BroadcastTo"] = (onnx, _, x) => onnx.Add("Expand", [x[0], onnx.Add("Shape", [x[1]])]),
        // GraphDiff normalises each column (rows are classes): ONNX's axis 0.
        ["Softmax"] = (onnx, _, x) => onnx.Add("Softmax", [x[0]], ("axis", 0L)),
        ["LogSoftmax"] = (onnx, _, x) => onnx.Add("LogSoftmax", [x[0]], ("axis", 0L)),
    };

    private static OnnxLowering Same(string opType) => (onnx, _, inputs) => onnx.Add(opType, inputs);

    private static string Transpose(OnnxGraphBuilder onnx, string x) => onnx.Add("Transpose", [x], ("perm", new long[] { 1, 0 }));
}
