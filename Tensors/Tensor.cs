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
/// <para><c>Matrix&lt;double&gt;</c> stays at the public edges (variable values, feeds, results): <see cref="Of"/> and
/// <see cref="ToMatrix"/> convert without copying wherever the layouts agree (MathNet's dense matrices are
/// column-major over a plain array).</para>
/// <para>It is <see cref="Tensor{T}"/> of doubles under the name every operation is written against: the two convert
/// both ways over the same storage, without copying.</para>
/// </remarks>
public readonly struct Tensor
{
    private readonly Tensor<double> view;

    private Tensor(Tensor<double> view) => this.view = view;

    /// <summary>A view of <paramref name="rows"/>×<paramref name="columns"/> elements of <paramref name="array"/>, column j starting at <c>offset + j·stride</c>.</summary>
    public Tensor(double[] array, int offset, int rows, int columns, int stride) => view = new Tensor<double>(array, offset, rows, columns, stride);

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

    /// <summary>The same view as a <see cref="Tensor{T}"/> of doubles (no copy).</summary>
    public static implicit operator Tensor<double>(Tensor tensor) => tensor.view;

    /// <summary>A <see cref="Tensor{T}"/> of doubles as a <see cref="Tensor"/> (no copy).</summary>
    public static implicit operator Tensor(Tensor<double> tensor) => new(tensor);

    /// <summary>The storage.</summary>
    public double[] Array => view.Array;
    /// <summary>Where element (0, 0) is in <see cref="Array"/>.</summary>
    public int Offset => view.Offset;
    /// <summary>Number of rows.</summary>
    public int Rows => view.Rows;
    /// <summary>Number of columns.</summary>
    public int Columns => view.Columns;
    /// <summary>The distance in <see cref="Array"/> from one column to the next (the leading dimension, at least <see cref="Rows"/>).</summary>
    public int Stride => view.Stride;

    /// <summary>Rows × columns.</summary>
    public int Length => view.Length;

    /// <summary>True when the elements lie one after another with no gap between columns.</summary>
    public bool IsContiguous => view.IsContiguous;

    /// <summary>All elements, column after column; only for a contiguous view (every value a plan computes is one).</summary>
    public Span<double> Span => view.Span;

    /// <summary>Column <paramref name="j"/>.</summary>
    public Span<double> Column(int j) => view.Column(j);

    /// <summary>Element (i, j).</summary>
    public ref double this[int i, int j] => ref view[i, j];

    /// <summary>The view of columns <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
    public Tensor ColumnRange(int start, int count) => new(view.ColumnRange(start, count));

    /// <summary>Copies the elements into <paramref name="destination"/>, which must have the same shape.</summary>
    public void CopyTo(Tensor destination) => view.CopyTo(destination.view);

    /// <summary>A new contiguous tensor holding a copy of the elements.</summary>
    public Tensor Clone() => new(view.Clone());

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(double value) => view.Fill(value);

    /// <summary>
    /// The first element that is NaN or ∞, or <c>null</c>. One vectorised sum per column decides the common case
    /// (a finite sum means no NaN or ∞); only a failing column is scanned for the place.
    /// </summary>
    public (int Row, int Column, double Value)? FirstNonFinite() => view.FirstNonFinite();

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

    /// <summary>E.g. <c>Tensor 3×4</c>.</summary>
    public override string ToString() => $"Tensor {Rows}×{Columns}";
}
