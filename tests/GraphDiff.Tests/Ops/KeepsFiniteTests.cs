using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// Plans skip the NaN check of an operation that declares <see cref="Operation.KeepsFinite"/>, so the declaration
/// must hold: every catalogued operation that makes it gives finite results on the most extreme finite operands.
/// </summary>
public class KeepsFiniteTests
{
    private static readonly double[] Extremes = [double.MaxValue, -double.MaxValue, 1e308, -1e308, 1e-308, -1e-308, double.Epsilon, 0, -0.0, 1, -1, 709.8, -745.2, 1e15, -1e15];

    [Fact]
    public void EveryOperationThatDeclaresItKeepsExtremeFiniteValuesFinite()
    {
        var declared = OperationCatalogue.Of(typeof(Op)).Where(e => e.Node.Operation.KeepsFinite).ToArray();
        Assert.True(declared.Length >= 8, $"only {declared.Length} operations declare KeepsFinite");
        var random = new Random(5);
        foreach (var entry in declared)
        {
            var operands = entry.Node.Inputs;
            for (int trial = 0; trial < 20; trial++)
            {
                var values = operands.Select(o => DenseMatrix.Create(o.Shape.Rows, Math.Max(o.Shape.Columns, 1), (_, _) => Extremes[random.Next(Extremes.Length)])).ToArray();
                var inputs = operands.Select(o => (Input)Graph.Input($"v{o.Id}", o.Shape)).ToArray();
                var node = Node.Apply(entry.Node.Operation, inputs);
                var feed = new Feed();
                for (int k = 0; k < inputs.Length; k++) feed.Add(inputs[k], values[k]);
                var plan = new EvaluationPlan([node], compile: null) { CheckFinite = false };
                var result = plan.Run(feed)[node];
                Assert.True(result.Enumerate().All(double.IsFinite), $"{entry.Builder} declares KeepsFinite but gave {string.Join(", ", result.Enumerate().Where(v => !double.IsFinite(v)).Take(3))} on extreme finite operands");
            }
        }
    }
}
