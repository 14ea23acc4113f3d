using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff;

/// <summary>
/// The small matrix API that <see cref="BackpropCode"/>'s emitted code is written in: numpy-like functions over
/// MathNet matrices, elementwise operations broadcasting a (n, 1) column, a (1, m) row or a 1×1 number as numpy
/// does. Plain and slow on purpose: it is for reading and checking generated backprop, not for training.
/// </summary>
public static class Bp
{
    /// <summary>a + b, broadcasting.</summary>
    public static Matrix<double> Add(Matrix<double> a, Matrix<double> b) => Zip(a, b, (x, y) => x + y);
    /// <summary>a − b, broadcasting.</summary>
    public static Matrix<double> Sub(Matrix<double> a, Matrix<double> b) => Zip(a, b, (x, y) => x - y);
    /// <summary>a ∘ b (elementwise), broadcasting.</summary>
    public static Matrix<double> Mul(Matrix<double> a, Matrix<double> b) => Zip(a, b, (x, y) => x * y);
    /// <summary>a / b (elementwise), broadcasting.</summary>
    public static Matrix<double> Div(Matrix<double> a, Matrix<double> b) => Zip(a, b, (x, y) => x / y);
    /// <summary>op(a)·op(b), each transposed when asked.</summary>
    public static Matrix<double> Dot(Matrix<double> a, bool transposeA, Matrix<double> b, bool transposeB) =>
        (transposeA ? a.Transpose() : a) * (transposeB ? b.Transpose() : b);
    /// <summary>aᵀ.</summary>
    public static Matrix<double> T(Matrix<double> a) => a.Transpose();
    /// <summary>−a.</summary>
    public static Matrix<double> Neg(Matrix<double> a) => -a;
    /// <summary>A 1×1 matrix holding <paramref name="value"/>.</summary>
    public static Matrix<double> Num(double value) => DenseMatrix.Create(1, 1, value);
    /// <summary>A matrix of the given size filled with <paramref name="value"/> (−1 for a size means m, the columns of <paramref name="like"/>).</summary>
    public static Matrix<double> Fill(int rows, int columns, double value, Matrix<double> like) =>
        DenseMatrix.Create(rows < 0 ? like.ColumnCount : rows, columns < 0 ? like.ColumnCount : columns, value);
    /// <summary>Σ over all elements (axis null, 1×1), down columns (axis 0, 1×n) or across rows (axis 1, n×1).</summary>
    public static Matrix<double> Sum(Matrix<double> a, int? axis) => axis switch
    {
        null => Num(a.Enumerate().Sum()),
        0 => a.ColumnSums().ToRowMatrix(),
        _ => a.RowSums().ToColumnMatrix(),
    };
    /// <summary>How many elements <see cref="Sum"/> adds (rows·columns, rows, or columns = m), as 1×1.</summary>
    public static Matrix<double> Count(Matrix<double> a, int? axis) => Num(axis switch { null => a.RowCount * a.ColumnCount, 0 => a.RowCount, _ => a.ColumnCount });
    /// <summary>a repeated along its size-1 dimensions to the shape of <paramref name="like"/>.</summary>
    public static Matrix<double> BroadcastTo(Matrix<double> a, Matrix<double> like) => Zip(a, DenseMatrix.Create(like.RowCount, like.ColumnCount, 0), (x, _) => x);
    /// <summary>Applies <paramref name="f"/> to every element.</summary>
    public static Matrix<double> Map(Matrix<double> a, Func<double, double> f) => a.Map(f);

    private static Matrix<double> Zip(Matrix<double> a, Matrix<double> b, Func<double, double, double> f)
    {
        int rows = Math.Max(a.RowCount, b.RowCount), columns = Math.Max(a.ColumnCount, b.ColumnCount);
        return DenseMatrix.Create(rows, columns, (i, j) =>
            f(a[a.RowCount == 1 ? 0 : i, a.ColumnCount == 1 ? 0 : j], b[b.RowCount == 1 ? 0 : i, b.ColumnCount == 1 ? 0 : j]));
    }
}
