using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>Examples as columns: X is (features, m) and Y is (outputs, m), column j of each belonging to example j.</summary>
public sealed record Dataset
{
    /// <summary>Creates a dataset, checking that X and Y have the same number of columns.</summary>
    public Dataset(Matrix<double> x, Matrix<double> y)
    {
        if (x.ColumnCount != y.ColumnCount)
            throw new ArgumentException($"X is {x.RowCount}×{x.ColumnCount} and Y is {y.RowCount}×{y.ColumnCount}: both need one column per example.");
        X = x;
        Y = y;
    }

    /// <summary>The examples, (features, m).</summary>
    public Matrix<double> X { get; }

    /// <summary>The labels, (outputs, m).</summary>
    public Matrix<double> Y { get; }

    /// <summary>The number of examples m.</summary>
    public int Count => X.ColumnCount;

    /// <summary>The class of each example (see <see cref="Labels.Decide"/>).</summary>
    public int[] Classes => Labels.Decide(Y);

    /// <summary>The examples at <paramref name="columns"/>, in that order.</summary>
    public Dataset Select(IReadOnlyList<int> columns) => new(Columns(X, columns), Columns(Y, columns));

    private static Matrix<double> Columns(Matrix<double> source, IReadOnlyList<int> columns)
    {
        var target = new DenseMatrix(source.RowCount, columns.Count);
        var s = Tensor.Of(source).Array;
        int rows = source.RowCount;
        for (int k = 0; k < columns.Count; k++) s.AsSpan(columns[k] * rows, rows).CopyTo(target.Values.AsSpan(k * rows, rows));
        return target;
    }

    /// <summary>The labels as a (1, m) row of 0s and 1s, for binary classification.</summary>
    public static Matrix<double> Row(IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return DenseMatrix.Create(1, labels.Count, (_, j) => labels[j]);
    }
}
