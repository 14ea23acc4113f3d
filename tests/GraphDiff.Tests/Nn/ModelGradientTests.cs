using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

/// <summary>Every model's gradients (the graph's reverse mode) agree with finite differences on a small instance, all parameters.</summary>
public class ModelGradientTests
{
    private static (Matrix<double> X, Matrix<double> Y) Data(int features, int outputs, int m, bool oneHot, int seed)
    {
        var random = new Random(seed);
        var x = TestData.Matrix(random, new Shape(features, m), TestData.Any);
        var y = oneHot
            ? Dataset.OneHot(Enumerable.Range(0, m).Select(_ => random.Next(outputs)).ToArray(), outputs)
            : DenseMatrix.Create(outputs, m, (_, _) => random.Next(2));
        return (x, y);
    }

    public static TheoryData<string, int[], Activation, Activation, CostFunction> Models => new()
    {
        { "logistic regression", new[] { 5, 1 }, Activation.ReLU, Activation.Sigmoid, CostFunction.BinaryCrossEntropy },
        { "shallow tanh", new[] { 2, 4, 1 }, Activation.Tanh, Activation.Sigmoid, CostFunction.BinaryCrossEntropy },
        { "deep relu", new[] { 6, 5, 4, 1 }, Activation.ReLU, Activation.Sigmoid, CostFunction.BinaryCrossEntropy },
        { "leaky relu", new[] { 4, 3, 3, 1 }, Activation.LeakyReLU, Activation.Sigmoid, CostFunction.BinaryCrossEntropy },
        { "sigmoid hidden", new[] { 3, 4, 1 }, Activation.Sigmoid, Activation.Sigmoid, CostFunction.BinaryCrossEntropy },
        { "softmax", new[] { 5, 4, 3 }, Activation.ReLU, Activation.Softmax, CostFunction.SoftmaxCrossEntropy },
        { "regression L2", new[] { 3, 4, 2 }, Activation.Tanh, Activation.Identity, CostFunction.L2 },
        { "regression L1", new[] { 3, 4, 2 }, Activation.Tanh, Activation.Identity, CostFunction.L1 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void AllParametersPassTheGradientCheck(string name, int[] sizes, Activation hidden, Activation output, CostFunction cost)
    {
        var network = Network.Create(sizes, new NetworkOptions { Hidden = hidden, Output = output, Cost = cost, Initialization = Initialization.Xavier, Seed = 3 });
        var (x, y) = Data(sizes[0], sizes[^1], 7, output == Activation.Softmax, 4);
        var report = GradientCheck.Run(network.Cost, network.Parameters, new Feed { { network.X, x }, { network.Y, y } },
            new GradientCheckOptions { Epsilon = 1e-6, Threshold = 1e-6 });
        Assert.True(report.Passed, $"{name}\n{report}");
        Assert.Equal(network.Parameters.Count, report.Variables.Count);
    }

    [Fact]
    public void TheNetworkIsAnOrdinaryGraph()
    {
        var network = Network.Create([3, 4, 1]);
        Assert.Equal("BinaryCrossEntropy(A2, Y)", network.Cost.ToString());
        Assert.Equal(["W1", "b1", "W2", "b2"], network.Parameters.Select(p => p.Name));
        Assert.Equal(new Shape(4, 3), network.Layers[0].W.Shape);
        Assert.Equal(new Shape(4, 1), network.Layers[0].B.Shape);
        Assert.Equal(new Shape(1, Shape.Batch), network.Output.Shape);
        Assert.Contains("[LINEAR→RELU]", network.Describe());
        Assert.Equal("LINEAR→RELU → LINEAR→SIGMOID  (layers 3-4-1, cost BinaryCrossEntropy)", network.Architecture.ToString());
    }

    [Theory]
    [InlineData(35)]
    [InlineData(37)]
    [InlineData(40)]
    [InlineData(700)]
    public void ASaturatedWrongPredictionStillLearns(double z)
    {
        // One example with y = 0 and Z = z: through the clipped BCE of σ(z), dJ/dZ was 0.667 at 35 and 0 from 37 on.
        var network = Network.LogisticRegression(1);
        network.Layers[0].B.Value[0, 0] = z;
        var dz = Gradients.Of(network.Cost, network.Scores)[network.Scores];
        var run = new EvaluationPlan(network.Cost, dz).Run(new Feed { { network.X, new DenseMatrix(1, 1) }, { network.Y, new DenseMatrix(1, 1) } });
        Assert.Equal(1.0, run.Scalar(dz), 12);
        Assert.Equal(z, run.Scalar(network.Cost), 9);   // J = −log(1 − σ(z)) ≈ z
        var history = Trainer.Train(network, new DenseMatrix(1, 1), new DenseMatrix(1, 1), new TrainingOptions { Epochs = 50, Optimizer = new GradientDescent(z) });
        Assert.True(history.Costs[^1].Cost < 1, $"the cost stayed at {history.Costs[^1].Cost}");
    }

    [Fact]
    public void TheNetworksNodesPointAtTheLineThatCreatedIt()
    {
        var network = Network.Create([3, 2, 1]);
        Assert.All(Graph.Order([network.Cost]), n => Assert.Equal("ModelGradientTests.cs", Path.GetFileName(n.Location.File)));
        var error = Assert.Throws<ArgumentException>(() => network.PredictProbabilities(new DenseMatrix(4, 5)));
        Assert.Contains("'X' expects 3×m (created at ModelGradientTests.cs:", error.Message);
    }

    [Fact]
    public void ArchitectureErrorsAreClear()
    {
        Assert.Contains("at least", Assert.Throws<ArgumentException>(() => Network.Create([3])).Message);
        Assert.Contains("n[1]", Assert.Throws<ArgumentOutOfRangeException>(() => Network.Create([3, 0, 1])).Message);
        Assert.Contains("softmax", Assert.Throws<ArgumentException>(() =>
            Network.Create([3, 2], new NetworkOptions { Output = Activation.Sigmoid, Cost = CostFunction.SoftmaxCrossEntropy })).Message);
    }

    [Fact]
    public void ZeroInitialisationLeavesHiddenUnitsIdentical()
    {
        // Why the docs say zeros fail for hidden layers: every hidden unit stays the same function.
        var network = Network.Create([2, 3, 1], new NetworkOptions { Hidden = Activation.Tanh, Initialization = Initialization.Zeros });
        var flower = Dataset.Flower(40, seed: 3);
        Trainer.Train(network, flower.X, flower.Y, new TrainingOptions { Epochs = 50, Optimizer = new GradientDescent(0.5) });
        var w1 = network.Layers[0].W.Value;
        for (int i = 1; i < w1.RowCount; i++) Assert.Equal(w1.Row(0), w1.Row(i));
    }
}
