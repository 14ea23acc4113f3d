using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tensors;

/// <summary>
/// GraphDiff's value type inside the library: a rank-2 view of doubles in column-major order (the course's
/// (n, m) layout, examples as columns). Element (i, j) is <c>Array[Offset + i + j·Stride]</c>, so a tensor can
/// be a view into a larger buffer (a block of columns, a slot of an arena) without copying. A view does not own
/// its storage; copying the struct copies the view, not the numbers.
/// </summary>
/// <remarks>
/// <c>Matrix&lt;double&gt;</c> stays at the public edges (variable values, feeds, results): <see cref="Of"/> and
/// <see cref="ToMatrix"/> convert without copying wherever the layouts agree (MathNet's dense matrices are
/// column-major over a plain array).
/// </remarks>
public readonly struct Tensor
{
    /// <summary>A view of <paramref name="rows"/>×<paramref name="columns"/> elements of <paramref name="array"/>, column j starting at <c>offset + j·stride</c>.</summary>
    public Tensor(double[] array, int offset, int rows, int columns, int stride)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (rows < 0 || columns < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"A tensor's dimensions must not be negative, got {rows}×{columns}.");
        if (stride < rows) throw new ArgumentOutOfRangeException(nameof(stride), $"The stride {stride} is smaller than the {rows} rows.");
        long end = rows == 0 || columns == 0 ? offset : offset + (long)stride * (columns - 1) + rows;
        if (offset < 0 || end > array.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"A {rows}×{columns} view at offset {offset} with stride {stride} needs {end} elements; the array has {array.Length}.");
        Array = array;
        Offset = offset;
        Rows = rows;
        Columns = columns;
        Stride = stride;
    }

    /// <summary>A contiguous view of a whole array holding <paramref name="rows"/>×<paramref name="columns"/> elements.</summary>
    public Tensor(double[] array, int rows, int columns) : this(array, 0, rows, columns, Math.Max(rows, 0)) { }

    /// <summary>A new tensor of zeros.</summary>
    public static Tensor Zeros(int rows, int columns) => new(new double[checked(rows * columns)], rows, columns);

    /// <summary>The view of a dense matrix's own storage (no copy); other matrices (sparse, diagonal) are copied to dense first.</summary>
    public static Tensor Of(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var dense = matrix as DenseMatrix ?? DenseMatrix.OfMatrix(matrix);
        return new Tensor(dense.Values, 0, dense.RowCount, dense.ColumnCount, Math.Max(1, dense.RowCount));
    }

    /// <summary>The storage.</summary>
    public double[] Array { get; }
    /// <summary>Where element (0, 0) is in <see cref="Array"/>.</summary>
    public int Offset { get; }
    /// <summary>Number of rows.</summary>
    public int Rows { get; }
    /// <summary>Number of columns.</summary>
    public int Columns { get; }
    /// <summary>The distance in <see cref="Array"/> from one column to the next (the leading dimension, at least <see cref="Rows"/>).</summary>
    public int Stride { get; }

    /// <summary>Rows × columns.</summary>
    public int Length => Rows * Columns;

    /// <summary>True when the elements lie one after another with no gap between columns.</summary>
    public bool IsContiguous => Stride == Rows || Columns <= 1 || Rows == 0;

    /// <summary>All elements, column after column; only for a contiguous view (every value a plan computes is one).</summary>
    public Span<double> Span => IsContiguous
        ? Array.AsSpan(Offset, Length)
        : throw new InvalidOperationException($"This {Rows}×{Columns} view has stride {Stride}: its elements are not contiguous; use Column(j).");

    /// <summary>Column <paramref name="j"/>.</summary>
    public Span<double> Column(int j) => (uint)j < (uint)Columns
        ? Rows == 0 ? [] : Array.AsSpan(Offset + j * Stride, Rows)   // an empty column may lie past the array's end
        : throw new ArgumentOutOfRangeException(nameof(j), $"Column {j} of a tensor with {Columns} columns.");

    /// <summary>Element (i, j).</summary>
    public ref double this[int i, int j]
    {
        get
        {
            if ((uint)i >= (uint)Rows || (uint)j >= (uint)Columns)
                throw new ArgumentOutOfRangeException(nameof(i), $"Element ({i}, {j}) of a {Rows}×{Columns} tensor.");
            return ref Array[Offset + i + j * Stride];
        }
    }

    /// <summary>The view of columns <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
    public Tensor ColumnRange(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Columns)
            throw new ArgumentOutOfRangeException(nameof(start), $"Columns {start}…{start + count - 1} of a tensor with {Columns} columns.");
        return new Tensor(Array, Offset + start * Stride, Rows, count, Stride);
    }

    /// <summary>Copies the elements into <paramref name="destination"/>, which must have the same shape.</summary>
    public void CopyTo(Tensor destination)
    {
        RequireSameShape(destination, nameof(destination));
        if (IsContiguous && destination.IsContiguous) { Span.CopyTo(destination.Span); return; }
        for (int j = 0; j < Columns; j++) Column(j).CopyTo(destination.Column(j));
    }

    /// <summary>A new contiguous tensor holding a copy of the elements.</summary>
    public Tensor Clone()
    {
        var copy = Zeros(Rows, Columns);
        CopyTo(copy);
        return copy;
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(double value)
    {
        if (IsContiguous) { Span.Fill(value); return; }
        for (int j = 0; j < Columns; j++) Column(j).Fill(value);
    }

    /// <summary>
    /// The first element that is NaN or ∞, or <c>null</c>. One vectorised sum per column decides the common case
    /// (a finite sum means no NaN or ∞); only a failing column is scanned for the place.
    /// </summary>
    public (int Row, int Column, double Value)? FirstNonFinite()
    {
        if (Length == 1) return double.IsFinite(Array[Offset]) ? null : (0, 0, Array[Offset]);   // a scalar: no vector call
        if (IsContiguous && double.IsFinite(TensorPrimitives.Sum<double>(Span))) return null;
        for (int j = 0; j < Columns; j++)
        {
            var column = Column(j);
            if (double.IsFinite(TensorPrimitives.Sum<double>(column))) continue;
            for (int i = 0; i < column.Length; i++)
                if (!double.IsFinite(column[i])) return (i, j, column[i]);
        }
        return null; // a sum overflowed although every element is finite
    }

    /// <summary>
    /// The tensor as a MathNet matrix: the same storage (no copy) when the view covers its whole array from
    /// the start, otherwise a dense copy.
    /// </summary>
    public Matrix<double> ToMatrix() =>
        Offset == 0 && IsContiguous && Array.Length == Length ? new DenseMatrix(Rows, Columns, Array) : ToMatrixCopy();

    /// <summary>A dense copy as a new MathNet matrix.</summary>
    public Matrix<double> ToMatrixCopy()
    {
        var copy = new DenseMatrix(Rows, Columns);
        CopyTo(Of(copy));
        return copy;
    }

    private void RequireSameShape(Tensor other, string name)
    {
        if (other.Rows != Rows || other.Columns != Columns)
            throw new ArgumentException($"A {Rows}×{Columns} tensor and a {other.Rows}×{other.Columns} one: the shapes must agree.", name);
    }

    /// <summary>E.g. <c>Tensor 3×4</c>.</summary>
    public override string ToString() => $"Tensor {Rows}×{Columns}";
}
