using System.Numerics;
using System.Numerics.Tensors;

namespace GraphDiff.Tensors;

/// <summary>
/// A rank-2 view of <typeparamref name="T"/> (double, or float for float32 training) in column-major order, as
/// <see cref="Tensor"/> is for doubles: element (i, j) is <c>Array[Offset + i + j·Stride]</c>, so a tensor can be a
/// view into a larger buffer without copying. <see cref="Tensor"/> is the double form every operation is written
/// against; it converts to and from <c>Tensor&lt;double&gt;</c> over the same storage.
/// </summary>
/// <typeparam name="T">The element type: <see cref="double"/> or <see cref="float"/>.</typeparam>
public readonly struct Tensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A view of <paramref name="rows"/>×<paramref name="columns"/> elements of <paramref name="array"/>, column j starting at <c>offset + j·stride</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="array"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the stride is below the rows, or the view runs past the array.</exception>
    public Tensor(T[] array, int offset, int rows, int columns, int stride)
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
    public Tensor(T[] array, int rows, int columns) : this(array, 0, rows, columns, Math.Max(rows, 0)) { }

    /// <summary>A new tensor of zeros.</summary>
    public static Tensor<T> Zeros(int rows, int columns) => new(new T[checked(rows * columns)], rows, columns);

    /// <summary>The storage.</summary>
    public T[] Array { get; }
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
    /// <exception cref="InvalidOperationException">The view is not contiguous.</exception>
    public Span<T> Span => IsContiguous
        ? Array.AsSpan(Offset, Length)
        : throw new InvalidOperationException($"This {Rows}×{Columns} view has stride {Stride}: its elements are not contiguous; use Column(j).");

    /// <summary>Column <paramref name="j"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no column <paramref name="j"/>.</exception>
    public Span<T> Column(int j) => (uint)j < (uint)Columns
        ? Rows == 0 ? [] : Array.AsSpan(Offset + j * Stride, Rows)   // an empty column may lie past the array's end
        : throw new ArgumentOutOfRangeException(nameof(j), $"Column {j} of a tensor with {Columns} columns.");

    /// <summary>Element (i, j).</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no element (i, j).</exception>
    public ref T this[int i, int j]
    {
        get
        {
            if ((uint)i >= (uint)Rows || (uint)j >= (uint)Columns)
                throw new ArgumentOutOfRangeException(nameof(i), $"Element ({i}, {j}) of a {Rows}×{Columns} tensor.");
            return ref Array[Offset + i + j * Stride];
        }
    }

    /// <summary>The view of columns <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range runs outside the columns.</exception>
    public Tensor<T> ColumnRange(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Columns)
            throw new ArgumentOutOfRangeException(nameof(start), $"Columns {start}…{start + count - 1} of a tensor with {Columns} columns.");
        return new Tensor<T>(Array, Offset + start * Stride, Rows, count, Stride);
    }

    /// <summary>Copies the elements into <paramref name="destination"/>, which must have the same shape.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public void CopyTo(Tensor<T> destination)
    {
        if (destination.Rows != Rows || destination.Columns != Columns)
            throw new ArgumentException($"A {Rows}×{Columns} tensor and a {destination.Rows}×{destination.Columns} one: the shapes must agree.", nameof(destination));
        if (IsContiguous && destination.IsContiguous) { Span.CopyTo(destination.Span); return; }
        for (int j = 0; j < Columns; j++) Column(j).CopyTo(destination.Column(j));
    }

    /// <summary>
    /// Copies the elements into <paramref name="destination"/> (same shape) converted to its element type: a double
    /// rounds to the nearest float (beyond float's range it becomes ±∞), a float widens exactly.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public void ConvertTo<TTo>(Tensor<TTo> destination) where TTo : unmanaged, IFloatingPointIeee754<TTo>
    {
        if (destination.Rows != Rows || destination.Columns != Columns)
            throw new ArgumentException($"A {Rows}×{Columns} tensor and a {destination.Rows}×{destination.Columns} one: the shapes must agree.", nameof(destination));
        if (IsContiguous && destination.IsContiguous) { TensorPrimitives.ConvertTruncating<T, TTo>(Span, destination.Span); return; }
        for (int j = 0; j < Columns; j++) TensorPrimitives.ConvertTruncating<T, TTo>(Column(j), destination.Column(j));
    }

    /// <summary>A new contiguous tensor holding a copy of the elements.</summary>
    public Tensor<T> Clone()
    {
        var copy = Zeros(Rows, Columns);
        CopyTo(copy);
        return copy;
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(T value)
    {
        if (IsContiguous) { Span.Fill(value); return; }
        for (int j = 0; j < Columns; j++) Column(j).Fill(value);
    }

    /// <summary>
    /// The first element that is NaN or ∞, or <c>null</c>. One vectorised sum per column decides the common case
    /// (a finite sum means no NaN or ∞); only a failing column is scanned for the place.
    /// </summary>
    public (int Row, int Column, T Value)? FirstNonFinite()
    {
        if (Length == 1) return T.IsFinite(Array[Offset]) ? null : (0, 0, Array[Offset]);   // a scalar: no vector call
        if (IsContiguous && T.IsFinite(TensorPrimitives.Sum<T>(Span))) return null;
        for (int j = 0; j < Columns; j++)
        {
            var column = Column(j);
            if (T.IsFinite(TensorPrimitives.Sum<T>(column))) continue;
            for (int i = 0; i < column.Length; i++)
                if (!T.IsFinite(column[i])) return (i, j, column[i]);
        }
        return null; // a sum overflowed although every element is finite
    }

    /// <summary>E.g. <c>Tensor&lt;Single&gt; 3×4</c>.</summary>
    public override string ToString() => $"Tensor<{typeof(T).Name}> {Rows}×{Columns}";
}
