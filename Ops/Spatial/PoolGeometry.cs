using System.Globalization;

namespace GraphDiff;

/// <summary>
/// A square pooling window over (n_H, n_W, n_C, m) images, captured when the node is built: the image's height,
/// width and channels, the window size, stride and zero-free padding. Output (n_H', n_W', n_C, m) with
/// n_H' = ⌊(n_H + 2p − size)/stride⌋ + 1. The padding is virtual: windows are clipped to the image, so a padded
/// element is never read (max pool pads with −∞, average pool does not count it).
/// </summary>
internal sealed record PoolGeometry(int Height, int Width, int Channels, int Size, int Stride, int Padding)
{
    /// <summary>The output height n_H'.</summary>
    public int OutHeight => (Height + 2 * Padding - Size) / Stride + 1;
    /// <summary>The output width n_W'.</summary>
    public int OutWidth => (Width + 2 * Padding - Size) / Stride + 1;
    /// <summary>Storage rows of one input example, n_H·n_W·n_C.</summary>
    public int InputRows => Height * Width * Channels;
    /// <summary>Storage rows of one output example, n_H'·n_W'·n_C.</summary>
    public int OutputRows => OutHeight * OutWidth * Channels;

    /// <summary>Elements read per example (the work of one pass), for the parallel threshold.</summary>
    public long WorkPerExample => (long)OutHeight * OutWidth * Channels * Size * Size;

    /// <summary>The image rows (or columns) [Start, End) that output row (or column) <paramref name="o"/>'s window covers, clipped to [0, <paramref name="extent"/>).</summary>
    public (int Start, int End) Along(int o, int extent)
    {
        int start = o * Stride - Padding;
        return (Math.Max(start, 0), Math.Min(start + Size, extent));
    }

    /// <summary>The window of output (oy, ox) as image rows and columns.</summary>
    public (int Y0, int Y1, int X0, int X1) Window(int oy, int ox)
    {
        var (y0, y1) = Along(oy, Height);
        var (x0, x1) = Along(ox, Width);
        return (y0, y1, x0, x1);
    }

    /// <summary>How the window prints: <c>2×2, stride 2</c>, with the padding when there is one.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Size}×{Size}, stride {Stride}{(Padding > 0 ? $", padding {Padding}" : "")}");

    /// <summary>The input shape with the last axis <paramref name="m"/> (or the batch dimension).</summary>
    public Shape Input(int m) => Shape.Of(Height, Width, Channels, m);

    /// <summary>The output shape with the last axis <paramref name="m"/>.</summary>
    public Shape Output(int m) => Shape.Of(OutHeight, OutWidth, Channels, m);

    /// <summary>
    /// The geometry of <paramref name="operation"/> over <paramref name="x"/>: stride 0 means the window size. Refuses
    /// (naming the operation, operand and shape) an operand that is not (n_H, n_W, n_C, m), a size below 1, a
    /// negative stride or padding, padding of a whole window (a window must overlap the image) and a window that
    /// does not fit the padded image (output below 1).
    /// </summary>
    public static PoolGeometry Of(string operation, Node x, int size, int stride, int padding)
    {
        ArgumentNullException.ThrowIfNull(x);
        string call = $"{operation}({x.Label})";
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"{call}: the window size is {size}; it must be at least 1.");
        if (stride < 0) throw new ArgumentOutOfRangeException(nameof(stride), $"{call}: the stride is {stride}; it must be at least 1 (or 0 for the window size).");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"{call}: the padding is {padding}; it must be 0 or more.");
        if (padding >= size)
            throw new ArgumentOutOfRangeException(nameof(padding), $"{call}: the padding ({padding}) must be less than the window size ({size}), so that every window overlaps the image; use padding at most {size - 1}.");
        var s = x.Shape;
        if (s.Rank != 4)
            throw ShapeMismatchException.For(operation, [x], "it pools images (n_H, n_W, n_C, m): give it a rank-4 operand, e.g. Op.Reshape(x, Shape.Of(28, 28, 1, Shape.Batch))");
        var g = new PoolGeometry(s[0], s[1], s[2], size, stride == 0 ? size : stride, padding);
        if (s[0] + 2 * padding < size || s[1] + 2 * padding < size)
            throw ShapeMismatchException.For(operation, [x], string.Create(CultureInfo.InvariantCulture,
                $"a {size}×{size} window does not fit a {s[0]}×{s[1]} image padded by {padding} (no output); use a window of at most {Math.Min(s[0], s[1]) + 2 * padding}, or pad by at least {(size - Math.Min(s[0], s[1]) + 1) / 2}"));
        return g;
    }

    /// <summary>Checks that operand <paramref name="k"/> is this geometry's input (or output, <paramref name="output"/>) with any last axis.</summary>
    public void Require(string operation, IReadOnlyList<Node> inputs, int k, bool output)
    {
        var s = inputs[k].Shape;
        var want = output ? Output(s.Columns) : Input(s.Columns);
        if (s.Rank != 4 || s != want)
            throw ShapeMismatchException.For(operation, inputs,
                $"{inputs[k].Label} must be the pool's {(output ? "output" : "input")} {want} for a {this} window over {Height}×{Width}×{Channels} images");
    }

    /// <summary>The geometry as an operation's attributes, for saved graphs.</summary>
    public IReadOnlyDictionary<string, double> Attributes => new Dictionary<string, double>
    {
        ["height"] = Height, ["width"] = Width, ["channels"] = Channels, ["size"] = Size, ["stride"] = Stride, ["padding"] = Padding,
    };

    /// <summary>The geometry from saved attributes, refusing values out of range by name.</summary>
    public static PoolGeometry From(IReadOnlyDictionary<string, double> a)
    {
        int Whole(string key, int min)
        {
            double v = OperationInfo.Required(a, key);
            return v == Math.Floor(v) && v >= min && v <= int.MaxValue ? (int)v
                : throw new ArgumentOutOfRangeException(key, $"the attribute '{key}' must be a whole number of at least {min}, got {v}");
        }
        var g = new PoolGeometry(Whole("height", 1), Whole("width", 1), Whole("channels", 1), Whole("size", 1), Whole("stride", 1), Whole("padding", 0));
        if (g.Padding >= g.Size || g.Height + 2 * g.Padding < g.Size || g.Width + 2 * g.Padding < g.Size)
            throw new ArgumentOutOfRangeException(nameof(a), $"the pooling window {g} does not fit {g.Height}×{g.Width} images");
        return g;
    }
}
