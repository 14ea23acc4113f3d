using System.Numerics.Tensors;

namespace GraphDiff.Tensors;

// The float forms of the broadcasting arithmetic (issue #21): the double forms' rules (each dimension equal or 1,
// the destination an operand of its own shape or separate storage), over TensorPrimitives' float kernels.
public static partial class TensorMath
{
    /// <summary>destination = x + y in float, with the double form's broadcasting and refusals.</summary>
    /// <param name="x">The left operand.</param>
    /// <param name="y">The right operand.</param>
    /// <param name="destination">The result, of the broadcast shape; it may be an operand of its own shape (in place).</param>
    /// <exception cref="ArgumentNullException">A tensor is <c>default</c>.</exception>
    /// <exception cref="ArgumentException">The shapes do not broadcast to the destination's (the message gives them), or the destination overlaps an operand.</exception>
    public static void Add(Tensor<float> x, Tensor<float> y, Tensor<float> destination) =>
        Apply(nameof(Add), x, y, destination, TensorPrimitives.Add, TensorPrimitives.Add, (s, v, d) => TensorPrimitives.Add(v, s, d));

    /// <summary>destination = x − y in float, with the double form's broadcasting and refusals.</summary>
    /// <inheritdoc cref="Add(Tensor{float}, Tensor{float}, Tensor{float})" path="/param|/exception"/>
    public static void Subtract(Tensor<float> x, Tensor<float> y, Tensor<float> destination) =>
        Apply(nameof(Subtract), x, y, destination, TensorPrimitives.Subtract, TensorPrimitives.Subtract, TensorPrimitives.Subtract);

    /// <summary>destination = x ∘ y (elementwise) in float, with the double form's broadcasting and refusals.</summary>
    /// <inheritdoc cref="Add(Tensor{float}, Tensor{float}, Tensor{float})" path="/param|/exception"/>
    public static void Multiply(Tensor<float> x, Tensor<float> y, Tensor<float> destination) =>
        Apply(nameof(Multiply), x, y, destination, TensorPrimitives.Multiply, TensorPrimitives.Multiply, (s, v, d) => TensorPrimitives.Multiply(v, s, d));

    /// <summary>destination = x / y (elementwise) in float, with the double form's broadcasting and refusals.</summary>
    /// <inheritdoc cref="Add(Tensor{float}, Tensor{float}, Tensor{float})" path="/param|/exception"/>
    public static void Divide(Tensor<float> x, Tensor<float> y, Tensor<float> destination) =>
        Apply(nameof(Divide), x, y, destination, TensorPrimitives.Divide, TensorPrimitives.Divide, TensorPrimitives.Divide);

    private delegate void Spans(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d);
    private delegate void SpanScalar(ReadOnlySpan<float> x, float y, Span<float> d);
    private delegate void ScalarSpan(float x, ReadOnlySpan<float> y, Span<float> d);

    /// <summary>Column by column: each operand's column j (or its only column), each a full column or one value repeated.</summary>
    private static void Apply(string operation, Tensor<float> x, Tensor<float> y, Tensor<float> d, Spans both, SpanScalar right, ScalarSpan left)
    {
        CheckBroadcast(operation, x, y, d);
        for (int j = 0; j < d.Columns; j++)
        {
            var a = x.Column(x.Columns == 1 ? 0 : j);
            var b = y.Column(y.Columns == 1 ? 0 : j);
            var target = d.Column(j);
            if (a.Length == target.Length && b.Length == target.Length) both(a, b, target);
            else if (a.Length == target.Length) right(a, b[0], target);
            else left(a[0], b, target);   // the broadcast rule leaves one operand a full column
        }
    }

    /// <summary>The double form's rule and refusals (<see cref="ThrowBroadcast{T}"/> says which one failed).</summary>
    private static void CheckBroadcast(string operation, Tensor<float> x, Tensor<float> y, Tensor<float> d)
    {
        bool fits = x.Array is not null && y.Array is not null && d.Array is not null
            && Broadcasts(x.Rows, y.Rows) == d.Rows && Broadcasts(x.Columns, y.Columns) == d.Columns
            && (!Overlap(d, x) || SameView(d, x)) && (!Overlap(d, y) || SameView(d, y));
        if (!fits) ThrowBroadcast(operation, x, y, d);
    }
}
