using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>
/// A trainable parameter: a leaf that holds a value which an optimizer updates between evaluations
/// (W[l], b[l]). Its shape is fixed at creation and never has the batch dimension.
/// </summary>
public sealed class Variable : Leaf
{
    private Matrix<double> value;

    internal Variable(string name, Matrix<double> value, SourceLocation location)
        : this(name, new Shape(value.RowCount, value.ColumnCount), value, location) { }

    internal Variable(string name, Shape shape, Matrix<double> value, SourceLocation location)
        : base(LeafOperation.VariableLeaf, shape, location, name)
    {
        if (shape.HasBatch)
            throw new ArgumentException($"Variable '{name}' at {location} has shape {shape}: a variable's shape is fixed, without the batch dimension m.", nameof(shape));
        if (value.RowCount != shape.Rows || value.ColumnCount != shape.Columns)
            throw new ArgumentException($"Variable '{name}' at {location} has shape {shape}, stored as a {shape.Rows}×{shape.Columns} matrix " +
                $"(rows: every axis but the last, in row-major order; columns: the last axis); its value is {value.RowCount}×{value.ColumnCount}.", nameof(value));
        this.value = value as DenseMatrix ?? DenseMatrix.OfMatrix(value);
    }

    /// <summary>The variable's name (never null for a variable).</summary>
    public new string Name => base.Name!;

    /// <summary>
    /// The current value. Optimizers may update it in place or assign a new matrix of the same shape;
    /// a matrix of another shape is refused with an error naming the variable. A dense matrix is kept (not
    /// copied); any other storage is converted to a dense copy. Every evaluation checks that it is finite.
    /// </summary>
    public Matrix<double> Value
    {
        get => value;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.RowCount != Shape.Rows || value.ColumnCount != Shape.Columns)
                throw new ArgumentException($"Variable '{Name}' is {Shape} ({Location}); it cannot take a value of shape {value.RowCount}×{value.ColumnCount}.");
            this.value = value as DenseMatrix ?? DenseMatrix.OfMatrix(value);
        }
    }
}
