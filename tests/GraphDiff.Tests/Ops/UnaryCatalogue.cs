namespace GraphDiff.Tests.Reliability;

/// <summary>
/// Every elementwise unary built-in operation (of <see cref="Op.Operations"/>), with its declared domain: a new
/// one cannot skip the split tests, since it is here by being defined.
/// </summary>
internal static class UnaryCatalogue
{
    public static IReadOnlyList<(ElementwiseUnary Operation, Func<Random, double> Domain)> Operations =>
        [.. Op.Operations.OfType<ElementwiseUnary>().Select(o => (o, (Func<Random, double>)(r => DeclaredOperations.Sample(o, 0, r))))];
}
