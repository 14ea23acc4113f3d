using System.Globalization;

namespace GraphDiff;

/// <summary>
/// The geometry of one 2-D convolution, captured when its node is built (an operation's forward never sees shapes):
/// input (H, W, C, m), kernel (FH, FW, C, K), stride, zero padding on every side, dilation, and the output
/// (OutH, OutW, K, m) that follows. The convolution and its three gradient operations share it.
/// </summary>
internal sealed record ConvGeometry(int H, int W, int C, int FH, int FW, int K, int Stride, int Padding, int Dilation)
{
    /// <summary>Output rows ⌊(H + 2p − d(FH−1) − 1)/s⌋ + 1.</summary>
    public int OutH { get; } = Output(H, FH, Stride, Padding, Dilation);

    /// <summary>Output columns, as <see cref="OutH"/>.</summary>
    public int OutW { get; } = Output(W, FW, Stride, Padding, Dilation);

    /// <summary>Output positions per example (OutH·OutW).</summary>
    public int Positions => OutH * OutW;

    /// <summary>Elements of one patch, the kernel's storage rows: FH·FW·C in the order (ky, kx, ci).</summary>
    public int PatchLength => FH * FW * C;

    /// <summary>Elements of one input example, H·W·C.</summary>
    public int InputRows => H * W * C;

    /// <summary>Elements of one output example, OutH·OutW·K.</summary>
    public int OutputRows => Positions * K;

    /// <summary>Multiply-adds of the convolution per example.</summary>
    public long WorkPerExample => (long)OutputRows * PatchLength;

    private static int Output(int size, int f, int s, int p, int d) => (int)Math.Floor(((double)size + 2.0 * p - (double)d * (f - 1) - 1) / s) + 1;

    /// <summary>(H, W, C, <paramref name="m"/>).</summary>
    public Shape Input(int m) => Shape.Of(H, W, C, m);

    /// <summary>(FH, FW, C, K).</summary>
    public Shape Kernel => Shape.Of(FH, FW, C, K);

    /// <summary>(OutH, OutW, K, <paramref name="m"/>).</summary>
    public Shape Output(int m) => Shape.Of(OutH, OutW, K, m);

    /// <summary>(K, 1), the bias.</summary>
    public Shape Bias => new(K, 1);

    /// <summary>The geometry of <c>Conv2D(x, kernel)</c>, refusing operands that do not fit with a message naming them.</summary>
    public static ConvGeometry Of(string op, IReadOnlyList<Node> operands, int stride, int padding, int dilation)
    {
        string call = $"{op}({string.Join(", ", operands.Select(o => o.Label))})";
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), $"{call}: the stride is {stride}; it must be 1 or more.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"{call}: the padding is {padding}; it must be 0 or more.");
        if (dilation < 1) throw new ArgumentOutOfRangeException(nameof(dilation), $"{call}: the dilation is {dilation}; it must be 1 or more (1: no gaps).");
        Shape x = operands[0].Shape, kernel = operands[1].Shape;
        if (x.Rank != 4 || x[0] < 1 || x[1] < 1 || x[2] < 1)
            throw ShapeMismatchException.For(op, operands, $"{operands[0].Label} must be an image (n_H, n_W, n_C, m) of rank 4, the batch dimension last");
        if (kernel.Rank != 4 || kernel.HasBatch)
            throw ShapeMismatchException.For(op, operands, $"{operands[1].Label} must be a kernel (f_H, f_W, n_C_prev, n_C) of rank 4");
        if (kernel[2] != x[2])
            throw ShapeMismatchException.For(op, operands, $"the kernel needs n_C_prev = {x[2]} (axis 2) to match {operands[0].Label}'s channels: {Shape.Of(kernel[0], kernel[1], x[2], kernel[3])} would fit" +
                (x[0] == kernel[2] ? $". If {operands[0].Label} is channels first (n_C, n_H, n_W, as PyTorch's NCHW), GraphDiff's images are (n_H, n_W, n_C, m): convert the data (Dataset.FromImages(…, channelsFirst: true))" : ""));
        Refuse(op, operands, (long)x[0] * x[1] * x[2], "an input example (n_H·n_W·n_C)");
        Refuse(op, operands, (long)kernel[0] * kernel[1] * kernel[2] * kernel[3], "the kernel");
        var g = new ConvGeometry(x[0], x[1], x[2], kernel[0], kernel[1], kernel[3], stride, padding, dilation);
        if (g.OutH < 1 || g.OutW < 1)
            throw ShapeMismatchException.For(op, operands,
                $"the output would be {g.OutH}×{g.OutW} positions: the dilated kernel spans {Span(g.FH, dilation)}×{Span(g.FW, dilation)} but the padded input is only " +
                $"{(long)g.H + 2L * padding}×{(long)g.W + 2L * padding}; use a smaller kernel or dilation, or padding of at least " +
                $"{Math.Max(0, (Math.Max(Span(g.FH, dilation) - g.H, Span(g.FW, dilation) - g.W) + 1) / 2)}");
        Refuse(op, operands, (long)g.OutH * g.OutW * g.K, "an output example (n_H'·n_W'·n_C)");
        return g;
    }

    private static long Span(int f, int d) => (long)d * (f - 1) + 1;

    private static void Refuse(string op, IReadOnlyList<Node> operands, long size, string what)
    {
        if (size > int.MaxValue)
            throw ShapeMismatchException.For(op, operands, $"{what} would hold {size} elements, more than {int.MaxValue}");
    }

    /// <summary>The parameters as attributes, for saved graphs.</summary>
    public IReadOnlyDictionary<string, double> Attributes => new Dictionary<string, double>
    {
        ["height"] = H, ["width"] = W, ["channels"] = C, ["kernelHeight"] = FH, ["kernelWidth"] = FW, ["filters"] = K,
        ["stride"] = Stride, ["padding"] = Padding, ["dilation"] = Dilation,
    };

    /// <summary>The geometry from <see cref="Attributes"/>, refusing values out of range by name.</summary>
    public static ConvGeometry From(IReadOnlyDictionary<string, double> a)
    {
        var g = new ConvGeometry(Size(a, "height"), Size(a, "width"), Size(a, "channels"), Size(a, "kernelHeight"), Size(a, "kernelWidth"),
            Size(a, "filters"), Size(a, "stride"), Size(a, "padding", 0), Size(a, "dilation"));
        return g.OutH >= 1 && g.OutW >= 1 ? g : throw new ArgumentOutOfRangeException(nameof(a), $"the attributes give an output of {g.OutH}×{g.OutW} positions");
    }

    private static int Size(IReadOnlyDictionary<string, double> a, string key, int least = 1)
    {
        double v = OperationInfo.Required(a, key);
        return v == Math.Floor(v) && v >= least && v <= int.MaxValue ? (int)v
            : throw new ArgumentOutOfRangeException(key, $"the attribute '{key}' must be a whole number of at least {least}, got {v.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The non-default parameters as they print after the operands: ", stride 2, pad 1".</summary>
    public string Suffix =>
        (Stride != 1 ? $", stride {Stride}" : "") + (Padding != 0 ? $", pad {Padding}" : "") + (Dilation != 1 ? $", dilation {Dilation}" : "");
}
