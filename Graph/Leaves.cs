using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>The operation of a leaf: it has no operands, so there is nothing to compute or differentiate.</summary>
public sealed class LeafOperation : Operation
{
    private LeafOperation(string name) => Name = name;

    internal static readonly LeafOperation VariableLeaf = new("Variable");
    internal static readonly LeafOperation InputLeaf = new("Input");
    internal static readonly LeafOperation ConstantLeaf = new("Constant");

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) =>
        throw new InvalidOperationException("A leaf's shape is given when it is created.");

    /// <inheritdoc />
    public override void Forward(IReadOnlyList<Matrix<double>> inputs, Matrix<double> result) =>
        throw new InvalidOperationException("A leaf's value is supplied, not computed.");

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [];
}

/// <summary>A leaf of the graph: a variable, an input or a constant.</summary>
public abstract class Leaf : Node
{
    private protected Leaf(LeafOperation operation, Shape shape, SourceLocation location, string? name)
        : base(operation, shape, location, name) { }

    /// <inheritdoc />
    public override bool IsLeaf => true;

    /// <summary>Leaves are named when created; renaming one would make a second, unrelated leaf.</summary>
    public override Node Named(string name) =>
        throw new InvalidOperationException($"{Label} is a leaf; give it its name when you create it.");
}

/// <summary>
/// A trainable parameter: a leaf that holds a value which an optimizer updates between evaluations
/// (W[l], b[l]). Its shape is fixed at creation and never has the batch dimension.
/// </summary>
public sealed class Variable : Leaf
{
    private Matrix<double> value;

    internal Variable(string name, Matrix<double> value, SourceLocation location)
        : base(LeafOperation.VariableLeaf, new Shape(value.RowCount, value.ColumnCount), location, name)
    {
        this.value = value;
    }

    /// <summary>The variable's name (never null for a variable).</summary>
    public new string Name => base.Name!;

    /// <summary>
    /// The current value. Optimizers may update it in place or assign a new matrix of the same shape;
    /// a matrix of another shape is refused with an error naming the variable.
    /// </summary>
    public Matrix<double> Value
    {
        get => value;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.RowCount != Shape.Rows || value.ColumnCount != Shape.Columns)
                throw new ArgumentException($"Variable '{Name}' is {Shape} ({Location}); it cannot take a value of shape {value.RowCount}×{value.ColumnCount}.");
            this.value = value;
        }
    }
}

/// <summary>
/// A value fed at evaluation time (X, Y). Its shape is declared when created; a dimension may be
/// <see cref="Shape.Batch"/> (the number of examples, m), fixed by what is fed.
/// </summary>
public sealed class Input : Leaf
{
    internal Input(string name, Shape shape, SourceLocation location)
        : base(LeafOperation.InputLeaf, shape, location, name) { }

    /// <summary>The input's name (never null for an input); a feed may refer to the input by it.</summary>
    public new string Name => base.Name!;
}

/// <summary>
/// A fixed value: a matrix, or a number filling a shape (which may have the batch dimension, as the ones that
/// seed a gradient do).
/// </summary>
public sealed class Constant : Leaf
{
    private readonly Matrix<double>? value;

    internal Constant(Matrix<double> value, string? name, SourceLocation location)
        : base(LeafOperation.ConstantLeaf, new Shape(value.RowCount, value.ColumnCount), location, name)
    {
        this.value = value;
    }

    internal Constant(Shape shape, double fill, string? name, SourceLocation location)
        : base(LeafOperation.ConstantLeaf, shape, location, name)
    {
        Fill = fill;
    }

    /// <summary>The number every element holds, or <c>null</c> for a general matrix.</summary>
    public double? Fill { get; }

    /// <summary>True when every element of the constant is <paramref name="number"/>.</summary>
    public bool IsFilledWith(double number) => Fill == number;

    /// <summary>Writes the constant's value into <paramref name="result"/> (of the resolved shape).</summary>
    internal void WriteTo(Matrix<double> result)
    {
        if (value is not null) value.CopyTo(result);
        else result.Clear();
        if (Fill is { } f && f != 0) Dense.Fill(result, f);
    }

    /// <summary>The matrix value when the constant has no batch dimension; otherwise <c>null</c>.</summary>
    internal Matrix<double>? FixedValue => value;
}
