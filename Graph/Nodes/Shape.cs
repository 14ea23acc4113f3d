namespace GraphDiff;

/// <summary>
/// The shape of a node's value: always 2-D, rows × columns, in the course's convention (examples are columns).
/// A dimension may be <see cref="Batch"/>, written <c>m</c>: the number of examples, fixed only when the
/// graph is evaluated, so one graph serves a training set, a test set and a mini-batch alike.
/// </summary>
/// <param name="Rows">Number of rows, or <see cref="Batch"/>.</param>
/// <param name="Columns">Number of columns, or <see cref="Batch"/>.</param>
public readonly record struct Shape(int Rows, int Columns)
{
    /// <summary>The symbolic batch dimension <c>m</c> (the number of examples), resolved at evaluation time.</summary>
    public const int Batch = -1;

    /// <summary>The 1×1 shape of a scalar.</summary>
    public static Shape Scalar => new(1, 1);

    /// <summary>True when the shape is 1×1.</summary>
    public bool IsScalar => Rows == 1 && Columns == 1;

    /// <summary>True when either dimension is the symbolic batch dimension.</summary>
    public bool HasBatch => Rows == Batch || Columns == Batch;

    /// <summary>The concrete shape once the batch dimension is known to be <paramref name="m"/>.</summary>
    public Shape Resolve(int m) => new(Rows == Batch ? m : Rows, Columns == Batch ? m : Columns);

    /// <summary>Formats one dimension: a number, or <c>m</c> for the batch dimension.</summary>
    public static string FormatDimension(int dimension) => dimension == Batch ? "m" : dimension.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Formats as <c>rows×columns</c>, e.g. <c>4×3</c> or <c>784×m</c>.</summary>
    public override string ToString() => $"{FormatDimension(Rows)}×{FormatDimension(Columns)}";

    /// <summary>The number of elements once the batch dimension is <paramref name="m"/>, without overflow.</summary>
    public long ElementCount(int m = 1) => (long)(Rows == Batch ? m : Rows) * (Columns == Batch ? m : Columns);

    /// <summary>True when the shape, with the batch dimension bound to <paramref name="m"/>, fits in one array.</summary>
    public bool Fits(int m = 1) => ElementCount(m) <= MaxElements;

    /// <summary>The most elements one value can hold: .NET's largest array of doubles.</summary>
    public static long MaxElements => Array.MaxLength;

    /// <summary>
    /// Checks that both dimensions are sizes of at least 1 or <see cref="Batch"/>, and that the value fits in one
    /// array, naming <paramref name="what"/> in the error. A fixed dimension of 0 is refused: no features, no units
    /// or no outputs is a bug in the model, not an empty value. Only m is ever 0: a batch with no examples. Every
    /// leaf is checked so when built; a reader of shapes from a file calls it first, to refuse a corrupt shape
    /// before allocating for it.
    /// </summary>
    /// <param name="rows">The number of rows, or <see cref="Batch"/>.</param>
    /// <param name="columns">The number of columns, or <see cref="Batch"/>.</param>
    /// <param name="what">What has the shape, for the error ("node 3", "input 'X' at Model.cs:12").</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is 0 or negative other than <see cref="Batch"/>, or the value would not fit in one array.</exception>
    public static void Validate(int rows, int columns, string what)
    {
        if ((rows < 0 && rows != Batch) || (columns < 0 && columns != Batch))
            throw new ArgumentOutOfRangeException(nameof(rows),
                $"{what}: dimensions must be sizes (1 or more) or Shape.Batch, got {FormatDimension(rows)}×{FormatDimension(columns)}.");
        if (rows == 0 || columns == 0)
            throw new ArgumentOutOfRangeException(rows == 0 ? nameof(rows) : nameof(columns),
                $"{what} is {FormatDimension(rows)}×{FormatDimension(columns)}: {(rows == 0 ? "0 rows" : "0 columns")} cannot be right (an input needs a feature, " +
                "a layer a unit, a variable an element). Fixed dimensions are 1 or more; only the batch dimension m may be 0, when a batch has no examples.");
        var shape = new Shape(rows, columns);
        if (!shape.Fits()) shape.EnsureFits(what);
    }

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> when the shape, with the batch dimension bound to
    /// <paramref name="m"/>, holds more elements than one array can; the message names <paramref name="what"/>,
    /// the shape and the bytes it would need.
    /// </summary>
    public void EnsureFits(string what, int m = 1)
    {
        long count = ElementCount(m);
        if (count <= MaxElements) return;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        throw new ArgumentOutOfRangeException(nameof(Shape),
            $"{what}: {Resolve(m)} is {count.ToString("N0", inv)} elements ({FormatBytes(count * 8.0)} as doubles), " +
            $"more than one array can hold ({MaxElements.ToString("N0", inv)} elements).");
    }

    /// <summary>Bytes in the largest sensible unit, e.g. <c>34.4 GB</c>.</summary>
    internal static string FormatBytes(double bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"];
        int u = 0;
        while (bytes >= 1000 && u < units.Length - 1) { bytes /= 1000; u++; }
        return u == 0 ? $"{bytes:0} bytes" : bytes.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " " + units[u];
    }
}
