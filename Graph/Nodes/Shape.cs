using System.Globalization;

namespace GraphDiff;

/// <summary>
/// The shape of a node's value: a list of dimensions (rank 2 or more), in the course's convention that examples
/// are the last axis. A dimension may be <see cref="Batch"/>, written <c>m</c>: the number of examples, fixed only
/// when the graph is evaluated, so one graph serves a training set, a test set and a mini-batch alike.
/// </summary>
/// <remarks>
/// <para>Rank 2 is the course's (n, m): <c>new Shape(n, Shape.Batch)</c>. Higher ranks are built with
/// <see cref="Of"/>, e.g. a batch of MNIST images is <c>Shape.Of(28, 28, 1, Shape.Batch)</c>, the course's
/// (n_H, n_W, n_C, m) image layout; the batch dimension of a shape of rank 3 or more may only be its last axis.</para>
/// <para>Storage: a value of shape (d₁, …, d_k, c) is held as a column-major <see cref="Rows"/>×<see cref="Columns"/>
/// matrix with <see cref="Rows"/> = d₁·…·d_k and <see cref="Columns"/> = c; within a column the leading axes are in
/// row-major order (the last of them varies fastest). So each example of an image batch is one contiguous
/// (n_H, n_W, n_C) block, laid out as in the course's numpy arrays of shape (m, n_H, n_W, n_C), and rank 2 is
/// exactly the course's column-major (n, m) matrix.</para>
/// </remarks>
public readonly struct Shape : IEquatable<Shape>
{
    /// <summary>The symbolic batch dimension <c>m</c> (the number of examples), resolved at evaluation time.</summary>
    public const int Batch = -1;

    /// <summary>The most axes a shape may have.</summary>
    public const int MaxRank = 8;

    // The leading axes (all but the last) of a shape of rank 3 or more; null for rank 2.
    private readonly int[]? leading;

    /// <summary>A rank-2 shape, rows × columns (either may be <see cref="Batch"/>).</summary>
    /// <param name="rows">Number of rows, or <see cref="Batch"/>.</param>
    /// <param name="columns">Number of columns, or <see cref="Batch"/>.</param>
    public Shape(int rows, int columns)
    {
        Rows = rows;
        Columns = columns;
        leading = null;
    }

    private Shape(int[] leading, int rows, int columns)
    {
        this.leading = leading;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>
    /// The shape with these dimensions, e.g. <c>Shape.Of(28, 28, 1, Shape.Batch)</c>; two dimensions give the
    /// rank-2 shape. Every dimension is a size of at least 1; only the last may be <see cref="Batch"/> (rank 2
    /// allows it in either). Refuses a product of dimensions that overflows, naming the shape.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 2 or more than <see cref="MaxRank"/> dimensions, a dimension
    /// below 1 (other than a batch dimension where allowed), or more elements per column than an array can hold.</exception>
    public static Shape Of(params int[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Length is < 2 or > MaxRank)
            throw new ArgumentException($"A shape has 2 to {MaxRank} dimensions, got {dimensions.Length} ({Format(dimensions)}); write a vector as (n, 1).", nameof(dimensions));
        if (dimensions.Length == 2) return new Shape(dimensions[0], dimensions[1]);
        for (int k = 0; k < dimensions.Length; k++)
        {
            int d = dimensions[k];
            if (d >= 1 || (d == Batch && k == dimensions.Length - 1)) continue;
            throw new ArgumentException(d == Batch
                ? $"Shape {Format(dimensions)}: the batch dimension m may only be the last axis of a shape of rank 3 or more (examples are the last axis)."
                : $"Shape {Format(dimensions)}: axis {k} is {d}; dimensions are sizes of at least 1 (only the batch dimension m may be empty, when a batch has no examples).",
                nameof(dimensions));
        }
        long rows = 1;
        foreach (int d in dimensions.AsSpan(0, dimensions.Length - 1))
        {
            rows *= d;
            if (rows > Array.MaxLength)
                throw new ArgumentException($"Shape {Format(dimensions)}: its leading axes hold more than {Array.MaxLength.ToString("N0", CultureInfo.InvariantCulture)} elements per example, more than one array can hold.", nameof(dimensions));
        }
        return new Shape(dimensions[..^1], (int)rows, dimensions[^1]);
    }

    /// <summary>
    /// The rows of the value's storage: the product of every axis but the last (for rank 2, the first dimension).
    /// </summary>
    public int Rows { get; }

    /// <summary>The columns of the value's storage: the last axis (for rank 2, the second dimension), often <see cref="Batch"/>.</summary>
    public int Columns { get; }

    /// <summary>The number of axes: 2 for the course's matrices, more for images and kernels.</summary>
    public int Rank => leading is null ? 2 : leading.Length + 1;

    /// <summary>The dimensions, first axis first (a new array).</summary>
    public int[] Dimensions => leading is null ? [Rows, Columns] : [.. leading, Columns];

    /// <summary>The size of axis <paramref name="axis"/> (negative counts from the end: −1 is the last axis).</summary>
    public int this[int axis]
    {
        get
        {
            int rank = Rank;
            int k = axis < 0 ? axis + rank : axis;
            if ((uint)k >= (uint)rank) throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} of a shape of rank {rank} ({this}).");
            return leading is null ? (k == 0 ? Rows : Columns) : k < leading.Length ? leading[k] : Columns;
        }
    }

    /// <summary>The 1×1 shape of a scalar.</summary>
    public static Shape Scalar => new(1, 1);

    /// <summary>True when the shape holds one element whatever its rank (1×1, 1×1×1…).</summary>
    public bool IsScalar => Rows == 1 && Columns == 1;

    /// <summary>True when some dimension is the symbolic batch dimension.</summary>
    public bool HasBatch => Rows == Batch || Columns == Batch;

    /// <summary>The concrete shape once the batch dimension is known to be <paramref name="m"/>.</summary>
    public Shape Resolve(int m) => leading is null
        ? new(Rows == Batch ? m : Rows, Columns == Batch ? m : Columns)
        : new(leading, Rows, Columns == Batch ? m : Columns);

    /// <summary>The same dimensions with the last axis replaced by <paramref name="columns"/> (a block of columns of a value).</summary>
    public Shape WithColumns(int columns) => leading is null ? new(Rows, columns) : new(leading, Rows, columns);

    /// <summary>
    /// The index on every axis of the element at <paramref name="row"/>, <paramref name="column"/> of the storage
    /// matrix: <c>[row, column]</c> for rank 2; for (d₁, …, d_k, c), the row split row-major over d₁…d_k, then the column.
    /// </summary>
    public int[] IndexOf(int row, int column)
    {
        if (leading is null) return [row, column];
        var index = new int[leading.Length + 1];
        for (int k = leading.Length - 1, rest = row; k >= 0; k--) { index[k] = rest % leading[k]; rest /= leading[k]; }
        index[^1] = column;
        return index;
    }

    /// <summary>
    /// Where the element at <paramref name="row"/>, <paramref name="column"/> of the storage matrix is, in words:
    /// <c>row 3, column 5</c> for rank 2; for a higher rank the index on every axis, <c>(3, 17, 0) of example 5</c>
    /// when the last axis is the batch dimension, else <c>(3, 2, 0, 7)</c>.
    /// </summary>
    public string PositionOf(int row, int column)
    {
        if (leading is null) return $"row {row}, column {column}";
        int[] index = IndexOf(row, column);
        return Columns == Batch ? $"({string.Join(", ", index[..^1])}) of example {column}" : $"({string.Join(", ", index)})";
    }

    /// <summary>
    /// The shape and, for a rank above 2, the matrix it is stored as: <c>4×3</c>, or <c>28×28×1×m (stored as 784×m)</c>.
    /// </summary>
    public string WithStorage() => leading is null ? ToString() : $"{this} (stored as {FormatDimension(Rows)}×{FormatDimension(Columns)})";

    /// <summary>Formats one dimension: a number, or <c>m</c> for the batch dimension.</summary>
    public static string FormatDimension(int dimension) => dimension == Batch ? "m" : dimension.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats as <c>rows×columns</c>, e.g. <c>4×3</c>, <c>784×m</c>, or every axis, <c>28×28×1×m</c>.</summary>
    public override string ToString() => leading is null ? $"{FormatDimension(Rows)}×{FormatDimension(Columns)}" : Format(Dimensions);

    private static string Format(int[] dimensions) => string.Join("×", dimensions.Select(FormatDimension));

    /// <summary>The number of elements once the batch dimension is <paramref name="m"/>, without overflow.</summary>
    public long ElementCount(int m = 1) => (long)(Rows == Batch ? m : Rows) * (Columns == Batch ? m : Columns);

    /// <summary>True when the shape, with the batch dimension bound to <paramref name="m"/>, fits in one array.</summary>
    public bool Fits(int m = 1) => ElementCount(m) <= MaxElements;

    /// <summary>The most elements one value can hold: .NET's largest array of doubles.</summary>
    public static long MaxElements => Array.MaxLength;

    /// <summary>Deconstructs into the storage's rows and columns.</summary>
    public void Deconstruct(out int rows, out int columns)
    {
        rows = Rows;
        columns = Columns;
    }

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
        var inv = CultureInfo.InvariantCulture;
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
        return u == 0 ? $"{bytes:0} bytes" : bytes.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[u];
    }

    /// <summary>Same dimensions (a rank-2 shape never equals a higher-rank one, even with equal storage).</summary>
    public bool Equals(Shape other) =>
        Rows == other.Rows && Columns == other.Columns &&
        (leading is null ? other.leading is null : other.leading is not null && leading.AsSpan().SequenceEqual(other.leading));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rows, Columns, Rank);

    /// <summary>Same dimensions.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Different dimensions.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);
}
