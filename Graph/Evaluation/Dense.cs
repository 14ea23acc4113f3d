using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff;

/// <summary>Access to the column-major storage behind MathNet's dense matrices, and the few kernels the graph itself needs.</summary>
public static class Dense
{
    /// <summary>
    /// The column-major element array of a dense matrix (element (i, j) at <c>i + j·rows</c>). GraphDiff's
    /// kernels work on these spans; a non-dense matrix is refused.
    /// </summary>
    public static double[] Storage(Matrix<double> matrix) => matrix is DenseMatrix dense
        ? dense.Values
        : throw new ArgumentException($"GraphDiff works on dense matrices; got {matrix.GetType().Name} {matrix.RowCount}×{matrix.ColumnCount}. Convert it with DenseMatrix.OfMatrix.");

    /// <summary>
    /// <paramref name="matrix"/> itself when it is dense; otherwise a dense copy (a sparse or diagonal matrix works
    /// wherever GraphDiff takes a matrix, at the cost of one conversion).
    /// </summary>
    public static Matrix<double> Densify(Matrix<double> matrix) => matrix is DenseMatrix ? matrix : DenseMatrix.OfMatrix(matrix);

    /// <summary>A new dense matrix of the given shape, all zeros.</summary>
    public static Matrix<double> Allocate(Shape concrete) => new DenseMatrix(concrete.Rows, concrete.Columns);

    /// <summary>Sets every element of <paramref name="result"/> to <paramref name="value"/>.</summary>
    public static void Fill(Matrix<double> result, double value) => Storage(result).AsSpan().Fill(value);

    /// <summary>
    /// The first non-finite element, or <c>null</c> when all are finite. One vectorised sum decides the common
    /// case (a finite sum means no NaN or ∞); only a failing matrix is scanned for the place.
    /// </summary>
    public static (int Row, int Column, double Value)? FirstNonFinite(Matrix<double> matrix)
    {
        if (matrix is not DenseMatrix)
        {
            // Not GraphDiff's storage (a value about to be densified): look element by element.
            for (int j = 0; j < matrix.ColumnCount; j++)
                for (int i = 0; i < matrix.RowCount; i++)
                    if (!double.IsFinite(matrix[i, j])) return (i, j, matrix[i, j]);
            return null;
        }
        var values = Storage(matrix);
        if (double.IsFinite(TensorPrimitives.Sum<double>(values))) return null;
        for (int k = 0; k < values.Length; k++)
            if (!double.IsFinite(values[k])) return (k % matrix.RowCount, k / matrix.RowCount, values[k]);
        return null; // the sum overflowed although every element is finite
    }
}
