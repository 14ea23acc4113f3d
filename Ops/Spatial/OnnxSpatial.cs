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
}
