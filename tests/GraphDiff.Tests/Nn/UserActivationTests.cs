using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// A user's own elementwise operation as a network activation: it builds, trains with correct gradients, is saved
/// and loaded with the model once registered (and refused, naming it, before), and its declared meaning chooses the
/// default cost, as the built-ins' do.
/// </summary>
public class UserActivationTests
{
    private static void SwishKernel(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] / (1 + Math.Exp(-x[i]));
    }

    // swish(x) = x·σ(x); swish'(x) = σ(x) + y·(1 − σ(x)).
    private static readonly Elementwise Swish = new("SwishForNetworks", SwishKernel,
        derivative: (x, y) => Op.Sigmoid(x) + y * (1.0 - Op.Sigmoid(x)));

    [Fact]
    public void AUserOperationIsAHiddenActivationWhoseGradientsAreChecked()
    {
        var network = Network.Create([3, 4, 1], new NetworkOptions { Hidden = Activation.Of(Swish), Initialization = Initialization.Xavier, Seed = 2 });
        Assert.Equal("LINEAR→SWISHFORNETWORKS → LINEAR→SIGMOID  (layers 3-4-1, cost BinaryCrossEntropy)", network.Architecture.ToString());
        Assert.Same(Swish, network.Layers[0].Activation.Operation);
        var random = new Random(1);
        var x = TestData.Matrix(random, new Shape(3, 6), TestData.Any);
        var y = DenseMatrix.Create(1, 6, (_, j) => j % 2);
        var report = GradientCheck.Run(network.Cost, network.Parameters, new Feed { { network.X, x }, { network.Y, y } }, GradientAssert.Options);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void AUserActivationIsSavedAndLoadedOnceRegistered()
    {
        using var dir = new TempDirectory();
        var path = dir.File("swish.gdmodel");
        var unregistered = new Elementwise("UnregisteredSwish", SwishKernel, derivative: (x, y) => Op.Sigmoid(x) + y * (1.0 - Op.Sigmoid(x)));
        var refused = Assert.Throws<ArgumentException>(() => ModelFile.Save(Network.Create([2, 3, 1], new NetworkOptions { Hidden = Activation.Of(unregistered) }), path));
        Assert.Contains("'UnregisteredSwish'", refused.Message);
        Assert.Contains("OperationRegistry.Register", refused.Message);

        OperationRegistry.Register(Swish);
        var network = Network.Create([2, 3, 1], new NetworkOptions { Hidden = Activation.Of(Swish), Seed = 4 });
        ModelFile.Save(network, path);
        var loaded = ModelFile.Load(path);
        Assert.Equal(network.Architecture, loaded.Architecture);
        Assert.Same(Swish, loaded.Layers[0].Activation.Operation);
        var x = DenseMatrix.Create(2, 5, (i, j) => i - j * 0.5);
        Assert.Equal(network.PredictProbabilities(x), loaded.PredictProbabilities(x));
    }

    [Fact]
    public void TheDeclaredMeaningChoosesTheDefaultCostAndAnOperationThatChangesShapeIsRefused()
    {
        static void Logistic(ReadOnlySpan<double> x, Span<double> y) { for (int i = 0; i < x.Length; i++) y[i] = 1 / (1 + Math.Exp(-x[i])); }
        var probability = new Elementwise("MyLogistic", Logistic, derivative: (z, a) => a * (1.0 - a)) { Info = new() { Meaning = OperationMeaning.Probability } };
        Assert.Equal(CostFunction.BinaryCrossEntropy, Network.Create([2, 1], new NetworkOptions { Output = Activation.Of(probability) }).Architecture.Cost);
        Assert.Equal(CostFunction.L2, Network.Create([2, 1], new NetworkOptions { Output = Activation.Of(Swish) }).Architecture.Cost);

        var sum = Op.Sum(Graph.Variable("v", 1.0)).Operation;
        Assert.Contains("keep its operand's shape", Assert.Throws<ArgumentException>(() => Activation.Of(sum)).Message);
        Assert.Same(Activation.Tanh, Activation.Of(Op.Tanh(Graph.Variable("z", 1.0)).Operation));
    }

    [Fact]
    public void TheBuiltInActivationsKeepTheNamesOfTheEnumTheyReplace()
    {
        // Model files written when Activation was an enum hold these names.
        Assert.Equal(["Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax"], Activation.BuiltIns.Select(a => a.Name));
        Assert.Equal(0.01, Activation.LeakyReLU.Operation!.Attributes["alpha"]);
        Assert.True(Activation.ReLU == Activation.Of(Op.ReLU(Graph.Variable("z", 1.0)).Operation));
    }
}
