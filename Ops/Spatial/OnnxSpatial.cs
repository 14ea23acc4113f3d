namespace GraphDiff;

/// <summary>
/// The ONNX forms of the image operations. ONNX's Conv and pooling take NCHW (m, n_C, n_H, n_W), GraphDiff's images
/// are (n_H, n_W, n_C, m): each form transposes in, applies the operator with the captured geometry, and transposes
/// back. ONNX Runtime's CPU provider has float64 kernels for MaxPool only: Conv and AveragePool run there from a
/// float32 export (<c>OnnxOptions.Float32</c>).
/// </summary>
internal static class OnnxSpatial
{
    /// <summary>Conv2D: the kernel (f_H, f_W, C_in, C_out) becomes ONNX's (C_out, C_in, f_H, f_W), the bias (n_C, 1) a 1-D B.</summary>
    public static OnnxLowering Conv(ConvGeometry g) => (onnx, _, x) =>
    {
        List<string> inputs = [OnnxAxes.ToNchw(onnx, x[0]), onnx.Add("Transpose", [x[1]], ("perm", new long[] { 3, 2, 0, 1 }))];
        if (x.Count > 2) inputs.Add(onnx.Add("Reshape", [x[2], onnx.Int64s(-1)]));
        var y = onnx.Add("Conv", inputs, ("kernel_shape", new long[] { g.FH, g.FW }), ("strides", new long[] { g.Stride, g.Stride }),
            ("pads", new long[] { g.Padding, g.Padding, g.Padding, g.Padding }), ("dilations", new long[] { g.Dilation, g.Dilation }));
        return OnnxAxes.FromNchw(onnx, y);
    };

    /// <summary>
    /// MaxPool2D (ONNX pads with −∞, as GraphDiff's windows clipped to the image) or AvgPool2D (padded places not
    /// counted: count_include_pad = 0), windows floored as GraphDiff's output size is.
    /// </summary>
    public static OnnxLowering Pool(PoolGeometry g, bool max) => (onnx, _, x) =>
    {
        (string, object)[] window =
        [
            ("kernel_shape", new long[] { g.Size, g.Size }), ("strides", new long[] { g.Stride, g.Stride }),
            ("pads", new long[] { g.Padding, g.Padding, g.Padding, g.Padding }),
        ];
        var y = max ? onnx.Add("MaxPool", [OnnxAxes.ToNchw(onnx, x[0])], window)
            : onnx.Add("AveragePool", [OnnxAxes.ToNchw(onnx, x[0])], [.. window, ("count_include_pad", 0L)]);
        return OnnxAxes.FromNchw(onnx, y);
    };

    /// <summary>
    /// BatchSum or BatchMean (<paramref name="mean"/>): each channel (the axis before the examples) reduced over every
    /// other axis, then the (n_C) result as (n_C, 1). Batch normalisation is built from these and elementwise
    /// operations, so both its forms export as GraphDiff computes them: the training form with the batch's own
    /// statistics (as in training; a served model uses BatchNormInference), the inference form with the running ones.
    /// </summary>
    public static OnnxLowering ChannelReduce(int channels, bool mean) => (onnx, node, x) =>
    {
        int rank = node.Inputs[0].Shape.Rank;
        long[] axes = [.. Enumerable.Range(0, rank).Where(a => a != rank - 2).Select(a => (long)a)];
        var reduced = mean ? onnx.Add("ReduceMean", [x[0]], ("axes", axes), ("keepdims", 0L))
            : onnx.Add("ReduceSum", [x[0], onnx.Int64s(axes)], ("keepdims", 0L));
        return onnx.Add("Reshape", [reduced, onnx.Int64s(channels, 1)]);
    };

    /// <summary>
    /// BatchBroadcast or BatchBroadcastMean: the (n_C, 1) operand given the second operand's rank as (1, …, 1, n_C, 1)
    /// and expanded to its shape; the mean's divided by the count of elements per channel.
    /// </summary>
    public static OnnxLowering ChannelBroadcast(int channels, bool mean) => (onnx, node, x) =>
    {
        long[] dims = [.. Enumerable.Repeat(1L, node.Inputs[1].Shape.Rank - 2), channels, 1];
        var spread = onnx.Add("Expand", [onnx.Add("Reshape", [x[0], onnx.Int64s(dims)]), onnx.Add("Shape", [x[1]])]);
        return mean ? onnx.Add("Div", [spread, OnnxAxes.Size(onnx, x[1], x[0])]) : spread;
    };
}
