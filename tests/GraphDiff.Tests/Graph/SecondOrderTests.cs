namespace GraphDiff.Tests;

/// <summary>
/// Every operation in the catalogue, first and second order: the gradient of J = Σ C∘f against finite
/// differences, then the gradient of that gradient (J₂ = Σₖ Σ Cₖ∘∂J/∂xₖ) against finite differences of the
/// first. Operands are drawn from [0.2, 0.8], inside every operation's domain and away from every kink, so the
/// second derivative exists wherever it is checked. A new builder is checked without a line added here.
/// </summary>
public class SecondOrderTests
{
    public static TheoryData<string> Builders() => [.. OperationCatalogue.Of(typeof(Op)).Select(e => e.Builder)];

    [Theory, MemberData(nameof(Builders))]
    public void FirstAndSecondDerivativesAgreeWithFiniteDifferences(string builder)
    {
        var entry = OperationCatalogue.Of(typeof(Op)).Single(e => e.Builder == builder);
        var random = new Random(builder.GetHashCode(StringComparison.Ordinal));
        var operands = entry.Derivatives.Select(d => d.Operand).ToArray();
        foreach (var v in operands) v.Value = TestData.Matrix(random, v.Shape, r => 0.2 + 0.6 * r.NextDouble());
        // Softmax cross-entropy's labels are distributions, the domain of its gradient softmax(z) − y.
        if (entry.Node.Operation.Info.Meaning == OperationMeaning.DistributionCrossEntropy) operands[1].Value = TestData.Distributions(operands[1].Value);
        var flowing = entry.Derivatives.Where(d => d.Gradient is not null).Select(d => d.Operand).ToArray();
        if (flowing.Length == 0) return;   // no gradient flows (Count, Step): nothing to differentiate

        var cost = GradientAssert.WeightedSum(entry.Node, seed: 1);
        GradientAssert.Agrees(cost, flowing, $"{builder}, first order");

        var gradients = Gradients.Of(cost, flowing);
        var second = Enumerable.Range(0, flowing.Length).Select(k => GradientAssert.WeightedSum(gradients[k], seed: 2 + k)).Aggregate((a, b) => a + b);
        GradientAssert.Agrees(second, flowing, $"{builder}, second order: J₂ = {second}");
    }
}
