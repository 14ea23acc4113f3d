using System.Globalization;

namespace GraphDiff.Nn;

/// <summary>
/// One layer of an <see cref="Architecture"/> built from a list of layers (a ConvNet): what it is and its sizes,
/// not its parameter values, which the <see cref="Network"/> built from the architecture owns. Create one with
/// the static factories: <see cref="Conv2D"/>, <see cref="MaxPool"/>, <see cref="AvgPool"/>, <see cref="Flatten"/>,
/// <see cref="BatchNorm"/>, <see cref="Dense"/>. Values flow in the image layout (n_H, n_W, n_C, m) until a
/// <see cref="Flatten"/> turns them into (n, m) columns for the dense layers.
/// </summary>
public sealed record Layer
{
    internal enum Kinds { Dense, Conv2D, MaxPool, AvgPool, Flatten, BatchNorm }

    private Layer(Kinds kind, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        (Kind, Activation) = (kind, activation);
    }

    /// <summary>
    /// A convolution of <paramref name="filters"/> kernels of <paramref name="size"/>×<paramref name="size"/>: W[l]
    /// (f, f, n_C_prev, n_C) initialised as the network says (He: fan-in f·f·n_C_prev), b[l] (n_C, 1) zero, then
    /// <paramref name="activation"/> (ReLU unless given). (n_H, n_W, n_C_prev, m) → (⌊(n_H + 2p − f)/s⌋ + 1, …, n_C, m).
    /// </summary>
    public static Layer Conv2D(int filters, int size, int stride = 1, int padding = 0, Activation? activation = null)
    {
        string call = $"Layer.Conv2D({filters}, {size}, stride: {stride}, padding: {padding})";
        Positive(call, filters, nameof(filters));
        Positive(call, size, nameof(size));
        Positive(call, stride, nameof(stride));
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"{call}: the padding is {padding}; it must be 0 or more.");
        return new(Kinds.Conv2D, activation ?? Activation.ReLU) { Units = filters, Size = size, Stride = stride, Padding = padding };
    }

    /// <summary>Max pooling over <paramref name="size"/>×<paramref name="size"/> windows, <paramref name="stride"/> 0 meaning = size: (n_H, n_W, n_C, m) → (n_H', n_W', n_C, m). No parameters.</summary>
    public static Layer MaxPool(int size, int stride = 0, int padding = 0) => Pool(Kinds.MaxPool, size, stride, padding);

    /// <summary>Average pooling, as <see cref="MaxPool"/> (padded positions are not counted in the average).</summary>
    public static Layer AvgPool(int size, int stride = 0, int padding = 0) => Pool(Kinds.AvgPool, size, stride, padding);

    /// <summary>(n_H, n_W, n_C, m) → (n_H·n_W·n_C, m), so dense layers can follow; nothing moves in memory.</summary>
    public static Layer Flatten() => new(Kinds.Flatten, Activation.Identity);

    /// <summary>
    /// Batch normalisation with γ[l] (ones) and β[l] (zeros), (n_C, 1), per channel (the axis before m; each row of an
    /// (n, m) input), then <paramref name="activation"/> (none unless given). Training normalises with the batch's
    /// statistics; predictions and evaluation with running averages, which each training step moves by
    /// <paramref name="momentum"/>: running ← (1 − momentum)·running + momentum·batch, the variance unbiased, as PyTorch.
    /// </summary>
    public static Layer BatchNorm(double momentum = 0.1, double epsilon = 1e-5, Activation? activation = null)
    {
        if (!(momentum is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), $"The running averages' momentum must be in (0, 1], got {momentum}.");
        if (!(epsilon > 0 && double.IsFinite(epsilon))) throw new ArgumentOutOfRangeException(nameof(epsilon), $"ε must be positive and finite, got {epsilon}.");
        return new(Kinds.BatchNorm, activation ?? Activation.Identity) { Momentum = momentum, Epsilon = epsilon };
    }

    /// <summary>A fully connected layer of <paramref name="units"/> units on (n, m) columns, then <paramref name="activation"/> (ReLU unless given).</summary>
    public static Layer Dense(int units, Activation? activation = null)
    {
        Positive($"Layer.Dense({units})", units, nameof(units));
        return new(Kinds.Dense, activation ?? Activation.ReLU) { Units = units };
    }

    private static Layer Pool(Kinds kind, int size, int stride, int padding)
    {
        string call = $"Layer.{kind}({size}, stride: {stride}, padding: {padding})";
        Positive(call, size, nameof(size));
        if (stride < 0) throw new ArgumentOutOfRangeException(nameof(stride), $"{call}: the stride is {stride}; it must be 1 or more (0: the window's size).");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"{call}: the padding is {padding}; it must be 0 or more.");
        if (padding * 2 > size) throw new ArgumentOutOfRangeException(nameof(padding), $"{call}: pooling padding may be at most half the window ({size}), got {padding}.");
        return new(kind, Activation.Identity) { Size = size, Stride = stride == 0 ? size : stride, Padding = padding };
    }

    private static void Positive(string call, int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, $"{call}: {name} is {value}; it must be 1 or more.");
    }

    internal Kinds Kind { get; }

    /// <summary>The kind of layer: Conv2D, MaxPool, AvgPool, Flatten, BatchNorm or Dense.</summary>
    public string Type => Kind.ToString();

    /// <summary>The activation applied to the layer's output (Identity for pooling and flattening).</summary>
    public Activation Activation { get; }

    /// <summary>Units of a dense layer, filters n_C of a convolution; 0 otherwise.</summary>
    public int Units { get; private init; }

    /// <summary>The window f of a convolution or pooling; 0 otherwise.</summary>
    public int Size { get; private init; }

    /// <summary>The stride s of a convolution or pooling; 0 otherwise.</summary>
    public int Stride { get; private init; }

    /// <summary>The zero padding p of a convolution (or the padding of a pooling window); 0 otherwise.</summary>
    public int Padding { get; private init; }

    /// <summary>The running averages' momentum of batch normalisation; 0 otherwise.</summary>
    public double Momentum { get; private init; }

    /// <summary>The ε of batch normalisation; 0 otherwise.</summary>
    public double Epsilon { get; private init; }

    /// <summary>
    /// The shape this layer gives for <paramref name="input"/> (batch last), or an <see cref="ArgumentException"/>
    /// naming the layer, the input's shape and what would fit.
    /// </summary>
    internal Shape OutputShape(int index, Shape input)
    {
        var d = input.Dimensions;
        bool image = input.Rank == 4;
        string Where() => $"Layer {index} ({this}) does not fit its input {input}: ";
        switch (Kind)
        {
            case Kinds.Dense:
                if (input.Rank != 2) throw new ArgumentException(Where() + "a dense layer reads (n, m) columns; put Layer.Flatten() before it.");
                return new Shape(Units, Shape.Batch);
            case Kinds.Flatten:
                return new Shape(input.Rows, Shape.Batch);
            case Kinds.BatchNorm:
                return input;
            default:
                if (!image) throw new ArgumentException(Where() + "it reads images (n_H, n_W, n_C, m); the input to a network of images is e.g. Shape.Of(28, 28, 1, Shape.Batch).");
                int h = Spatial(d[0]), w = Spatial(d[1]);
                if (h < 1 || w < 1)
                    throw new ArgumentException(Where() + $"a {Size}×{Size} window with stride {Stride} and padding {Padding} leaves {h}×{w} positions; it needs an input of at least {Size - 2 * Padding}×{Size - 2 * Padding}.");
                return Shape.Of(h, w, Kind == Kinds.Conv2D ? Units : d[2], Shape.Batch);
        }

        int Spatial(int n) => n + 2 * Padding < Size ? 0 : (n + 2 * Padding - Size) / Stride + 1;
    }

    /// <summary>The course's notation, e.g. <c>CONV5×5×16 s1 p2→RELU</c>, <c>MAXPOOL2</c>, <c>FLATTEN</c>, <c>LINEAR(128)→RELU</c>.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        string core = Kind switch
        {
            Kinds.Conv2D => string.Create(inv, $"CONV{Size}×{Size}×{Units}") + (Stride != 1 ? $" s{Stride}" : "") + (Padding != 0 ? $" p{Padding}" : ""),
            Kinds.MaxPool or Kinds.AvgPool => string.Create(inv, $"{(Kind == Kinds.MaxPool ? "MAX" : "AVG")}POOL{Size}") + (Stride != Size ? $" s{Stride}" : "") + (Padding != 0 ? $" p{Padding}" : ""),
            Kinds.Flatten => "FLATTEN",
            Kinds.BatchNorm => "BATCHNORM",
            _ => string.Create(inv, $"LINEAR({Units})"),
        };
        return Activation.Operation is null ? core : $"{core}→{Activation.CourseName}";
    }
}
