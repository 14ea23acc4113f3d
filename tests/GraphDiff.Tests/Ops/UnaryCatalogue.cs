namespace GraphDiff.Tests.Reliability;

/// <summary>
/// Every elementwise unary operation, with a domain where it is finite. A test fails when an operation deriving
/// from <see cref="ElementwiseUnary"/> is missing here, so a new operation cannot skip the split and accuracy tests.
/// </summary>
internal static class UnaryCatalogue
{
    public static readonly IReadOnlyDictionary<string, (Func<Node, Node> Build, Func<Random, double> Domain)> Operations =
        new Dictionary<string, (Func<Node, Node>, Func<Random, double>)>
        {
            ["Exp"] = (x => Op.Exp(x), r => r.NextDouble() * 20 - 10),
            ["Log"] = (x => Op.Log(x), r => r.NextDouble() * 10 + 1e-3),
            ["Square"] = (x => Op.Square(x), TestData.Any),
            ["Power"] = (x => Op.Power(x, 1.5), r => r.NextDouble() * 10),
            ["Sqrt"] = (x => Op.Sqrt(x), r => r.NextDouble() * 10),
            ["Abs"] = (x => Op.Abs(x), TestData.Any),
            ["Negate"] = (x => Op.Negate(x), TestData.Any),
            ["Sigmoid"] = (x => Op.Sigmoid(x), r => r.NextDouble() * 40 - 20),
            ["Tanh"] = (x => Op.Tanh(x), r => r.NextDouble() * 8 - 4),
            ["Softplus"] = (x => Op.Softplus(x), r => r.NextDouble() * 40 - 20),
            ["ReLU"] = (x => Op.ReLU(x), TestData.Any),
            ["LeakyReLU"] = (x => Op.LeakyReLU(x, 0.1), TestData.Any),
            ["Step"] = (x => Op.Step(x), TestData.Any),
            ["Clip"] = (x => Op.Clip(x, -0.5, 0.5), TestData.Any),
        };

    /// <summary>The operation object that <paramref name="name"/> builds.</summary>
    public static ElementwiseUnary OperationOf(string name) =>
        (ElementwiseUnary)Operations[name].Build(Graph.Variable("x", 2.0)).Operation;
}
