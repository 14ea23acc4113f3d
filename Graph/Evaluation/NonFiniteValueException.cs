using System.Globalization;
using System.Numerics;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// Thrown when a node computes NaN or ∞, or a variable already holds one. The message names the node, where it
/// was built, the element, and the operands' values at that element (for a reduction, the operand element that
/// caused it), so the cause (log of 0, an exploding learning rate, empty data) is visible.
/// </summary>
public sealed class NonFiniteValueException : ArithmeticException
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Creates the exception.</summary>
    public NonFiniteValueException(string message, Node node) : base(message) => Node = node;

    /// <summary>The node whose value was not finite.</summary>
    public Node Node { get; }

    /// <summary>
    /// True when float32 is the cause: the plan computes in float32 and the same step in float64 gives a finite value,
    /// or a variable or constant holds a number beyond float32's range. Planning in double avoids it.
    /// </summary>
    public bool BeyondSinglePrecision { get; private init; }

    internal static NonFiniteValueException Held(Variable variable, (int Row, int Column, double Value) bad) =>
        new($"Variable '{variable.Name}' (created at {variable.Location}) holds {bad.Value.ToString(Inv)} at {variable.Shape.PositionOf(bad.Row, bad.Column)}, " +
            "before anything was computed from it; give it finite values.", variable);

    /// <summary>What float32 is called in messages.</summary>
    internal const string SingleName = "float32";

    /// <summary>How to go back to double, said wherever float32 is the cause, and how to keep such values smaller (which depends on where they came from).</summary>
    internal static string SwitchBack(string smaller) => "Plan in double to compute it (Precision.Double: the default of new EvaluationPlan(outputs), or NetworkOptions.Precision = Precision.Double for a network), " +
        $"or keep the values smaller ({smaller}).";

    /// <summary>The ways to keep a computed value smaller: it grew from the parameters or the data.</summary>
    internal const string SmallerComputed = "a smaller learning rate, standardised inputs";

    /// <summary>The way to keep fed data smaller (no learning rate has touched it).</summary>
    internal const string SmallerData = "standardise the inputs: subtract each feature's mean, divide by its standard deviation";

    /// <summary>A variable or constant holding a value that float32 cannot: refused rather than rounded to ∞.</summary>
    internal static NonFiniteValueException BeyondSingle(Leaf leaf, int row, int column, double value) =>
        new($"{(leaf is Variable ? "Variable" : "Constant")} {(leaf.Name is { } name ? $"'{name}'" : leaf.Label)} (created at {leaf.Location}) holds {value.ToString("G6", Inv)}" +
            $"{(leaf.Shape.IsScalar ? "" : $" at {leaf.Shape.PositionOf(row, column)}")}, " +
            $"beyond float32's range (±3.4·10³⁸): this plan computes in {SingleName}. " +
            SwitchBack(leaf is Variable ? "a smaller initialisation, or a smaller learning rate if training made it" : "a rescaled constant"), leaf) { BeyondSinglePrecision = true };

    internal static NonFiniteValueException At<T>(Node node, (int Row, int Column, T Value) bad, ReadOnlySpan<Tensor<T>> operands, int m,
        int columnOffset = 0, int? blockColumns = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A fused block computes columns columnOffset .. columnOffset + blockColumns: operands and bad are relative to it.
        var shape = node.Shape.Resolve(m);
        if (blockColumns is { } w) shape = shape.WithColumns(w);
        var around = new List<string>();
        bool empty = m == 0;
        for (int k = 0; k < node.Inputs.Count; k++)
        {
            around.Add(Describe(node.Inputs[k], operands[k], shape, bad.Row, bad.Column));
            empty |= operands[k].Length == 0;
        }
        string message = $"{node.Label} (built at {node.Location}) computed {Format(bad.Value)} at {node.Shape.PositionOf(bad.Row, bad.Column + columnOffset)}" +
            (node.Inputs.Count > 0 ? $" from {string.Join(", ", around)}." : ".");
        if (empty)
            message += " The data is empty (m = 0 examples or an empty operand): a mean over no examples is undefined; feed at least one example.";
        bool single = false;
        if (typeof(T) == typeof(float) && !empty)
        {
            var (text, cause) = InDouble(node, operands, bad.Row, bad.Column, shape);
            (message, single) = (message + text, cause);
        }
        return new NonFiniteValueException(message, node) { BeyondSinglePrecision = single };
    }

    /// <summary>
    /// For a value gone non-finite in float32: the same element computed in double from the same operands, and
    /// whether float32 is the cause (the double value is finite) or not.
    /// </summary>
    private static (string Text, bool SingleIsTheCause) InDouble<T>(Node node, ReadOnlySpan<Tensor<T>> operands, int row, int column, Shape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var wide = Tensor.Zeros(shape.Rows, shape.Columns);
        node.Operation.Forward(ElementForms.Widened(operands), wide);
        double value = wide[row, column];
        return (double.IsFinite(value)
            ? $" This plan computes in {SingleName}, whose largest value is 3.4·10³⁸: in float64 this element is {value.ToString("G6", Inv)}, so float32 is the cause. {SwitchBack(SmallerComputed)}"
            : $" (This plan computes in {SingleName}. This step in float64, from the same operands, gives {value.ToString(Inv)} too: the cause is in the operands. " +
              "If one was fed or held in double, rounding it to float32 may have made it: beyond ±3.4·10³⁸ a number becomes ∞, below 1.4·10⁻⁴⁵ it becomes 0.)", double.IsFinite(value));
    }

    private static string Format<T>(T value) where T : IFloatingPointIeee754<T> => double.CreateTruncating(value).ToString(Inv);

    /// <summary>
    /// An operand at the failing element. When the operand has the result's shape (or broadcasts to it), that is
    /// its element there; otherwise (a sum, a product) the element responsible: the first non-finite one, or else
    /// the largest in magnitude (the sum overflowed).
    /// </summary>
    private static string Describe<T>(Node input, Tensor<T> v, Shape result, int row, int column) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (v.Length == 0) return $"{input.Label} (empty, {v.Rows}×{v.Columns})";
        bool aligned = (v.Rows == result.Rows || v.Rows == 1) && (v.Columns == result.Columns || v.Columns == 1);
        if (aligned)
        {
            int r = v.Rows == 1 ? 0 : row, c = v.Columns == 1 ? 0 : column;
            return $"{input.Label} = {double.CreateTruncating(v[r, c]).ToString("G6", Inv)}";
        }
        var values = v.Span;
        int worst = 0;
        for (int k = 0; k < values.Length; k++)
        {
            if (!T.IsFinite(values[k])) { worst = k; break; }
            if (T.Abs(values[k]) > T.Abs(values[worst])) worst = k;
        }
        string which = T.IsFinite(values[worst]) ? "its largest element" : "its first non-finite element";
        var position = input.Shape.Rows == v.Rows ? input.Shape.PositionOf(worst % v.Rows, worst / v.Rows) : $"row {worst % v.Rows}, column {worst / v.Rows}";
        return $"{input.Label} = {double.CreateTruncating(values[worst]).ToString("G6", Inv)} at {position} ({which})";
    }
}
