namespace GraphDiff;

/// <summary>
/// A fixed value: a matrix, or a number filling a shape (which may have the batch dimension, as the ones that
/// seed a gradient do).
/// </summary>
public sealed class Constant : Leaf
{
    private readonly Tensor? value;

    internal Constant(Tensor value, string? name, SourceLocation location)
        : this(new Shape(value.Rows, value.Columns), value, name, location) { }

    // Any rank: the value is the shape's storage (rows over every axis but the last, row-major).
    internal Constant(Shape shape, Tensor value, string? name, SourceLocation location)
        : base(LeafOperation.ConstantLeaf, shape, location, name)
    {
        if (shape.HasBatch || value.Rows != shape.Rows || value.Columns != shape.Columns)
            throw new ArgumentException($"Constant {(name is null ? "" : $"'{name}' ")}at {location} has shape {shape}, stored as a {shape.Rows}×{shape.Columns} matrix; its value is {value.Rows}×{value.Columns}.", nameof(value));
        if (value.FirstNonFinite() is { } bad)
            throw new ArgumentException($"Constant {(name is null ? "" : $"'{name}' ")}at {location} holds {bad.Value} at row {bad.Row}, column {bad.Column}; constants must be finite.", nameof(value));
        this.value = value;
    }

    internal Constant(Shape shape, double fill, string? name, SourceLocation location)
        : base(LeafOperation.ConstantLeaf, shape, location, name)
    {
        if (!double.IsFinite(fill))
            throw new ArgumentException($"Constant {(name is null ? "" : $"'{name}' ")}at {location} is {fill}; constants must be finite.", nameof(fill));
        Fill = fill;
    }

    /// <summary>The number every element holds, or <c>null</c> for a general matrix.</summary>
    public double? Fill { get; }

    /// <summary>True when every element of the constant is <paramref name="number"/>.</summary>
    public bool IsFilledWith(double number) => Fill == number;

    /// <summary>Writes the constant's value into <paramref name="result"/> (of the resolved shape).</summary>
    public void WriteTo(Tensor result)
    {
        if (value is { } v) v.CopyTo(result);
        else result.Fill(Fill ?? 0);
    }

    /// <summary>The value when the constant is a matrix (no batch dimension); otherwise <c>null</c>.</summary>
    internal Tensor? FixedValue => value;
}
