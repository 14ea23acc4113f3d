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

    internal static void Validate(int rows, int columns, string what)
    {
        if ((rows <= 0 && rows != Batch) || (columns <= 0 && columns != Batch))
            throw new ArgumentOutOfRangeException(nameof(rows),
                $"{what}: dimensions must be positive (or Shape.Batch), got {FormatDimension(rows)}×{FormatDimension(columns)}.");
    }
}
