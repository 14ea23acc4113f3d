using GraphDiff.Nn;
using GraphDiff.Onnx;
using MathNet.Numerics.LinearAlgebra.Double;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using GraphDiff.Tests.Nn;
using UserOperations;

namespace GraphDiff.Tests.Ops;

/// <summary>
/// A user's operations are first-class. Swish and ScaledTanh live in tests/UserOperations, an assembly that sees
/// only the libraries' public API, and use <c>TensorMath</c>; here they are gradient-checked, saved and loaded by
/// <see cref="GraphFile"/>, exported to ONNX (or refused, naming the operation), shown in the ledger, the pictures
/// and the emitted code, and used as a network activation that trains and is saved with its model.
/// </summary>
public class UserOperationTests
{
    private static readonly Input X = Graph.Input("X", 3);
    private static readonly DenseMatrix Values = DenseMatrix.Create(3, 5, (i, j) => (i * 5 + j - 7) * 0.4);

    private static Node Composite() => Op.Sum(ScaledTanh.Of(Swish.Of(X), 1.5) * Swish.Of(X));

    [Fact]
    public void TheirGradientsAgreeWithFiniteDifferences()
    {
        var w = Graph.Variable("w", DenseMatrix.Create(3, 5, (i, j) => 0.3 * i - 0.2 * j));
        var J = Op.Sum(ScaledTanh.Of(Swish.Of(w), 1.5) * Swish.Of(w));
        var report = GradientCheck.Run(J, [w]);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void AGraphOfThemIsSavedAndLoadedWithTheSameValues()
    {
        using var dir = new TempDirectory();
        var path = dir.File("user-ops.gdgraph");
        var J = Composite();
        GraphFile.Save([J], path);
        var loaded = GraphFile.Load(path).Single();
        var loadedX = Graph.Order([loaded]).OfType<Input>().Single();
        Assert.Equal(J.Evaluate(new Feed { { X, Values } })[0, 0], loaded.Evaluate(new Feed { { loadedX, Values } })[0, 0]);
        Assert.Contains(Graph.Order([loaded]), n => n.Operation is ScaledTanh { Scale: 1.5 });
    }

    [Fact]
    public void SwishExportsToOnnxAndAgreesWithOnnxRuntime_ScaledTanhIsRefusedByName()
    {
        var y = Swish.Of(X);
        using var session = new InferenceSession(OnnxExport.ToBytes([("y", y)]));
        var rowMajor = new double[3 * 5];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) rowMajor[i * 5 + j] = Values[i, j];
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("X", new DenseTensor<double>(rowMajor, [3, 5]))]);
        var onnx = results.Single().AsTensor<double>();
        var expected = y.Evaluate(new Feed { { X, Values } });
        for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) Assert.Equal(expected[i, j], onnx[i, j], 1e-14);

        var refused = Assert.ThrowsAny<Exception>(() => OnnxExport.ToBytes([("J", Composite())]));
        Assert.Contains("ScaledTanh", refused.Message);
    }

    [Fact]
    public void TheyAppearInTheLedgerThePicturesAndTheEmittedCode()
    {
        var w = Graph.Variable("w", DenseMatrix.Create(2, 2, (i, j) => i - j + 0.5));
        // Squared, so that the backward pass needs ScaledTanh's value and the emitted code computes it.
        var J = Op.Sum(Op.Square(ScaledTanh.Of(Swish.Of(w), 2.0)));
        var ledger = Backprop.Explain(J, wrt: w).ToString();
        Assert.Contains("Swish(w)", ledger);
        Assert.Contains("2·tanh(", ledger);
        Assert.Contains("Swish", GraphSvg.Render(J, withBackward: true));
        Assert.Contains("Swish", BackpropStepper.Html(J));
        var code = BackpropCode.Emit(J, [w]);
        Assert.Contains("v / (1 + System.Math.Exp(-v))", code);
        Assert.Contains("2 * System.Math.Tanh(v)", code);
    }

    [Fact]
    public void SwishIsANetworkActivationThatTrainsAndIsSavedWithItsModel()
    {
        var random = new Random(3);
        var x = DenseMatrix.Create(2, 200, (_, _) => random.NextDouble() * 4 - 2);
        var labels = DenseMatrix.Create(1, 200, (_, j) => x[0, j] * x[1, j] > 0 ? 1 : 0);
        var network = Network.Create([2, 8, 1], new NetworkOptions { Hidden = Activation.Of(Swish.Operation), Seed = 1 });
        var check = GradientCheck.Run(network.Cost, network.Parameters, new Feed { { network.X, x }, { network.Y, labels } });
        Assert.True(check.Passed, check.ToString());

        var history = Trainer.Train(network, x, labels, new TrainingOptions { Epochs = 300, Optimizer = new Adam(0.05) });
        Assert.True(history.Costs[^1].Cost < 0.5 * history.Costs[0].Cost, $"the cost went from {history.Costs[0].Cost} to {history.Costs[^1].Cost}");

        using var dir = new TempDirectory();
        var path = dir.File("swish.gdmodel");
        ModelFile.Save(network, path);
        var loaded = ModelFile.Load(path);
        Assert.Same(Swish.Operation, loaded.Layers[0].Activation.Operation);
        Assert.Equal(network.PredictProbabilities(x), loaded.PredictProbabilities(x));
    }
}
