using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests;

internal static class GradientAssert
{
    /// <summary>Step and threshold for random tests: ε = 1e-6 keeps round-off below the truncation error for values of order 1.</summary>
    public static readonly GradientCheckOptions Options = new() { Epsilon = 1e-6, Threshold = 1e-6 };

    public static void Agrees(Node cost, IReadOnlyList<Variable> variables, object context, Feed? feed = null)
    {
        var report = GradientCheck.Run(cost, variables, feed, Options);
        Assert.True(report.Passed, $"{context}\n{report}\ncost: {cost}");
    }

    /// <summary>J = Σ C ∘ f: random weights C make every output element matter with a different weight.</summary>
    public static Node WeightedSum(Node output, int seed)
    {
        if (output.Shape.Rank > 2) output = Op.Flatten(output);   // the weights are the storage matrix's
        var weights = TestData.Matrix(new Random(seed ^ 0x5eed), output.Shape, TestData.Unit);
        // A constant is a matrix: weights for an image are its storage, given the image's axes.
        Node c = Graph.Constant(weights, "C");
        return Op.Sum(Op.Multiply(output, output.Shape.Rank > 2 ? Op.Reshape(c, output.Shape) : c));
    }

    public static Variable Var(string name, Random random, Shape shape, Func<Random, double> domain) =>
        Graph.Variable(name, TestData.Matrix(random, shape, domain));

    public static Matrix<double> Value(this Node node, Feed? feed = null) => node.Evaluate(feed);
}
