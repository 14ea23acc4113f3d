using System.Globalization;

namespace GraphDiff;

/// <summary>
/// How batch statistics group a value's elements: by channel, the axis before the examples (the rows n of the
/// course's (n, m); n_C of (n_H, n_W, n_C, m)), over every other axis. In storage the channel of row r is
/// r mod <see cref="Channels"/>, and each column holds <see cref="Spatial"/> positions of every channel.
/// </summary>
internal sealed record ChannelAxes(int Channels, int Spatial)
{
    /// <summary>Storage rows of one example, channels × positions.</summary>
    public int Rows => Channels * Spatial;

    /// <summary>
    /// The channel axes of <paramref name="x"/>, refusing (naming <paramref name="operation"/> and its operands) a value whose
    /// examples are not its last axis, and any of <paramref name="perChannel"/> not of shape (n_C, 1).
    /// </summary>
    public static ChannelAxes Of(string operation, Node x, params Node[] perChannel)
    {
        ArgumentNullException.ThrowIfNull(x);
        var s = x.Shape;
        Node[] operands = [x, .. perChannel];
        if (s.Rows == Shape.Batch)
            throw ShapeMismatchException.For(operation, operands, "batch statistics are over the examples, the last axis: give the examples as columns (n, m)");
        var axes = s.Rank == 2 ? new ChannelAxes(s.Rows, 1) : new ChannelAxes(s[-2], s.Rows / s[-2]);
        foreach (var p in perChannel)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(perChannel));
            if (p.Shape != new Shape(axes.Channels, 1))
                throw ShapeMismatchException.For(operation, operands, string.Create(CultureInfo.InvariantCulture,
                    $"{p.Label} must be ({axes.Channels}, 1), one value per channel of {x.Label} (its axis before the examples, of size {axes.Channels})"));
        }
        return axes;
    }

    /// <summary>Whether <paramref name="s"/> has these channel axes (any last axis).</summary>
    public bool Fits(Shape s) => s.Rows == Rows && (s.Rank == 2 ? Spatial == 1 : s[-2] == Channels);

    /// <summary>The axes as an operation's attributes, for saved graphs.</summary>
    public Dictionary<string, double> Attributes => new() { ["channels"] = Channels, ["spatial"] = Spatial };

    /// <summary>The axes from saved attributes, refusing values out of range by name.</summary>
    public static ChannelAxes From(IReadOnlyDictionary<string, double> a)
    {
        int Whole(string key)
        {
            double v = OperationInfo.Required(a, key);
            return v == Math.Floor(v) && v >= 1 && v <= int.MaxValue ? (int)v
                : throw new ArgumentOutOfRangeException(key, $"the attribute '{key}' must be a whole number of at least 1, got {v}");
        }
        return new ChannelAxes(Whole("channels"), Whole("spatial"));
    }
}
