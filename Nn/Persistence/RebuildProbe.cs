namespace GraphDiff;

/// <summary>
/// Saving trusts that an operation read back by name and attributes computes what the saved one did. For a user's
/// operation that is a promise the library cannot read: a class whose parameter is missing from its
/// <see cref="Operation.Attributes"/> would be rebuilt as the registered instance, with the registered instance's
/// parameter, and give other numbers without a word. So before saving, each user operation is rebuilt as loading
/// will rebuild it and both are run on the same probe operands: a difference refuses the save.
/// </summary>
internal static class RebuildProbe
{
    /// <summary>
    /// Refuses <paramref name="operation"/> (applied to operands of <paramref name="operandShapes"/>, m resolved to 3)
    /// when the operation rebuilt from its name and attributes computes something else; <paramref name="where"/>
    /// names the node or layer for the message.
    /// </summary>
    public static void EnsureRebuildsAlike(Operation operation, IReadOnlyList<Shape> operandShapes, Shape resultShape, string where)
    {
        // Built-ins (Ops', and Nn's own, as the dropout mask): their round trips are tested. Probing a stateful one would
        // also move its state (a mask's random draws), which is why a trained network with dropout could not be saved.
        if (operation.GetType().Assembly == typeof(Op).Assembly || operation.GetType().Assembly == typeof(RebuildProbe).Assembly) return;
        var rebuilt = OperationRegistry.Create(operation.Name, operation.Attributes);
        if (ReferenceEquals(rebuilt, operation)) return;
        const int m = 3;
        var (low, high) = operation.Info.Domain is { Count: > 0 } domain ? domain[0] : (-2.0, 2.0);
        var operands = operandShapes.Select((shape, k) => Filled(shape.Resolve(m), low, high, k)).ToArray();
        var result = resultShape.Resolve(m);
        var expected = Tensor.Zeros(result.Rows, result.Columns);
        var actual = Tensor.Zeros(result.Rows, result.Columns);
        try
        {
            operation.Forward(operands, expected);
            rebuilt.Forward(operands, actual);
        }
#pragma warning disable CA1031 // Any failure of a user's kernel on probe operands only means there is nothing to compare.
        catch (Exception)
        {
            return;
        }
#pragma warning restore CA1031
        for (int i = 0; i < expected.Span.Length; i++)
            if (BitConverter.DoubleToInt64Bits(expected.Span[i]) != BitConverter.DoubleToInt64Bits(actual.Span[i])
                && !(double.IsNaN(expected.Span[i]) && double.IsNaN(actual.Span[i])))
                throw new InvalidOperationException(
                    $"{where} uses operation '{operation.Name}', but the '{operation.Name}' a saved file is read back as computes something else " +
                    $"({expected.Span[i]} against {actual.Span[i]} on the same operands): the operation holds a parameter that its Attributes do not declare, " +
                    "or it is another operation under a registered name. Declare each parameter in Attributes and rebuild from them in Info.Rebuild " +
                    "(README, \"Your own operation\", Saving it), or give it a name of its own.");
    }

    // Deterministic, spread over the interval, different for each operand (golden-ratio steps).
    private static Tensor Filled(Shape shape, double low, double high, int operand)
    {
        var tensor = Tensor.Zeros(shape.Rows, shape.Columns);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++)
            span[i] = low + (high - low) * ((0.5 + 0.6180339887498949 * (i + 7 * operand)) % 1.0);
        return tensor;
    }
}
