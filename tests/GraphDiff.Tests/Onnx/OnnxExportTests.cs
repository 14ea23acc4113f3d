using GraphDiff.Nn;
using GraphDiff.Onnx;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// The exporter checked by ONNX Runtime: the DeepNetwork example's three models and logistic regression,
/// trained briefly on the shipped data, give the same probabilities in ONNX Runtime as in GraphDiff (1e-12 in
/// float64, 1e-5 in float32) and the same class on every test example; every operation with an ONNX form is
/// checked on random values.
/// </summary>
[Trait("Category", "Onnx")]
public class OnnxExportTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string Data(string relative) => Path.Combine(AppContext.BaseDirectory, "data", relative);

    private static readonly Lazy<(Matrix<double> TrainX, int[] TrainDigits, Matrix<double> TestX, int[] TestDigits)> Mnist = new(() =>
    {
        var (trainX, trainDigits) = IdxFile.Read(Data("mnist-10k/train-images-idx3-ubyte.gz"), Data("mnist-10k/train-labels-idx1-ubyte.gz"));
        var (testX, testDigits) = IdxFile.Read(Data("mnist-10k/t10k-images-idx3-ubyte.gz"), Data("mnist-10k/t10k-labels-idx1-ubyte.gz"));
        return (trainX, trainDigits, testX, testDigits);
    });

    private static Matrix<double> RunInOnnxRuntime(byte[] model, Matrix<double> x, bool float32, string input = "X", string output = "probabilities") =>
        OnnxRuntimeRun.Run(model, x, input, output, float32);

    private void AssertSameAsGraphDiff(Network network, Matrix<double> x)
    {
        var expected = network.PredictProbabilities(x);
        var expectedClasses = Labels.Decide(expected);
        foreach (var (float32, tolerance) in new[] { (false, 1e-12), (true, 1e-5) })
        {
            var bytes = OnnxExport.ToBytes([("probabilities", network.Output)], new OnnxOptions { Float32 = float32 });
            var actual = RunInOnnxRuntime(bytes, x, float32);
            Assert.Equal(expected.RowCount, actual.RowCount);
            Assert.Equal(expected.ColumnCount, actual.ColumnCount);
            double worst = (expected - actual).Enumerate().Max(Math.Abs);
            output.WriteLine($"{network.Architecture} in {(float32 ? "float32" : "float64")}: largest difference {worst:E2} over {x.ColumnCount} examples");
            Assert.True(worst <= tolerance, $"{network.Architecture} in {(float32 ? "float32" : "float64")}: largest difference {worst:E2} from GraphDiff (tolerance {tolerance:E0})");
            Assert.Equal(expectedClasses, Labels.Decide(actual));
        }
    }

    private static int[] Even(int[] digits) => digits.Select(d => d % 2 == 0 ? 1 : 0).ToArray();

    /// <summary>
    /// A network trained in float32 exports in float32 by default, and ONNX Runtime's float32 run agrees with its float32
    /// predictions within 1e-5 relative.
    /// </summary>
    [Fact]
    public void AFloatNetworkExportsInFloat32AndRunsTheSameInOnnxRuntime()
    {
        var (trainX, trainDigits, testX, _) = Mnist.Value;
        var network = Network.Create([784, 64, 10], new NetworkOptions { Seed = 2, Output = Activation.Softmax, Precision = Precision.Single });
        Trainer.Train(network, trainX, Dataset.OneHot(trainDigits, 10), new TrainingOptions { Epochs = 1, BatchSize = 64, Optimizer = new Adam(0.002) });
        using var dir = new TempDirectory();
        OnnxExport.Save(network, dir.File("single.onnx"), new OnnxOptions { BatchDimension = "batch" });   // options that say nothing of the type
        var x = testX.SubMatrix(0, 784, 0, 500);
        var expected = network.PredictProbabilities(x);
        var actual = RunInOnnxRuntime(File.ReadAllBytes(dir.File("single.onnx")), x, float32: true);
        double worst = (expected - actual).Enumerate().Zip(expected.Enumerate(), (d, e) => Math.Abs(d) / (1 + Math.Abs(e))).Max();
        output.WriteLine($"float32 network against ONNX Runtime in float32: largest relative difference {worst:E2}");
        Assert.True(worst <= 1e-5, $"largest relative difference {worst:E2} (tolerance 1e-5)");
        Assert.Equal(Labels.Decide(expected), Labels.Decide(actual));
    }

    [Theory]
    [InlineData(new[] { 784, 128, 1 })]
    [InlineData(new[] { 784, 128, 64, 1 })]
    public void TheDeepNetworkBinaryModelsRunTheSameInOnnxRuntime(int[] sizes)
    {
        var (trainX, trainDigits, testX, testDigits) = Mnist.Value;
        var network = Network.Create(sizes, new NetworkOptions { Seed = 1 });
        Trainer.Train(network, trainX, Dataset.Row(Even(trainDigits)), new TrainingOptions { Epochs = 2, BatchSize = 64, Optimizer = new Adam(0.001) });
        AssertSameAsGraphDiff(network, testX);
    }

    [Fact]
    public void TheDeepNetworkSoftmaxModelRunsTheSameInOnnxRuntime()
    {
        var (trainX, trainDigits, testX, _) = Mnist.Value;
        var network = Network.Create([784, 128, 64, 10], new NetworkOptions { Output = Activation.Softmax, Seed = 1 });
        Trainer.Train(network, trainX, Dataset.OneHot(trainDigits, 10), new TrainingOptions { Epochs = 2, BatchSize = 64, Optimizer = new Adam(0.001) });
        AssertSameAsGraphDiff(network, testX);
    }

    [Fact]
    public void LogisticRegressionRunsTheSameInOnnxRuntime()
    {
        var table = CsvTable.Read(Data("breast-cancer-wisconsin.csv"), "malignant");
        var scaler = Standardizer.Fit(table.Data.X);
        var x = scaler.Transform(table.Data.X);
        var network = Network.LogisticRegression(30);
        Trainer.Train(network, x, table.Data.Y, new TrainingOptions { Epochs = 300, Optimizer = new GradientDescent(0.1) });
        AssertSameAsGraphDiff(network, x);
    }

    /// <summary>Every activation a network can have, hidden and at the output; fails when a new one has no ONNX form.</summary>
    [Fact]
    public void EveryActivationExportsAndRunsTheSame()
    {
        var random = new Random(2);
        var x = DenseMatrix.Create(3, 9, (_, _) => random.NextDouble() * 4 - 2);
        foreach (var activation in Activation.BuiltIns)
        {
            var network = Network.Create([3, 5, 4], new NetworkOptions { Hidden = activation == Activation.Softmax ? Activation.Tanh : activation, Output = activation, Seed = 3 });
            AssertSameAsGraphDiff(network, x);
        }
    }

    /// <summary>
    /// Every built-in operation (<see cref="Op.Operations"/>) that declares an ONNX form, on operands of fitting
    /// shapes (its declared sample shapes, of any rank; broadcasting ones for the binary operations) with values
    /// from its declared domain, and again on rank-4 operands when it takes any rank; one that says it has none is
    /// refused by name. In float64, except where ONNX Runtime's CPU kernels are float32 only.
    /// </summary>
    [Fact]
    public void EveryOperationWithAnOnnxFormComputesWhatGraphDiffComputes()
    {
        var random = new Random(5);
        var shapesCase = new OpCase(3, 4, 2, PatternA: 1, PatternB: 2, Seed: 0);
        int exported = 0, rankN = 0;
        foreach (var operation in Op.Operations)
        {
            var shapes = operation.Info.Domain is { Count: > 0 } ? DeclaredOperations.ShapesFor(operation, shapesCase) : [shapesCase.Full];
            var values = operation.Info.Domain is { Count: > 0 } ? DeclaredOperations.Values(operation, shapes, random) : [DenseMatrix.Create(3, 4, 0.25)];
            var inputs = shapes.Select((s, k) => Graph.Input($"x{k}", s)).ToArray();
            var node = Node.Apply(operation, inputs);
            if (ReferenceEquals(operation.Info.Onnx, OperationInfo.NoOnnx))
            {
                Assert.Contains($"'{operation.Name}'", Assert.Throws<NotSupportedException>(() => OnnxExport.ToBytes([("y", node)])).Message);
                continue;
            }
            bool float32 = OnlyFloat32InOnnxRuntime.Contains(operation.Name);
            OnnxRuntimeRun.AssertAgrees(node, [.. inputs.Zip(values)], float32);
            exported++;
            if (operation.AcceptsAnyRank && operation.Info.SampleShapes is null && RankFourShapes(operation) is { } rank4)
            {
                var inputs4 = rank4.Select((s, k) => Graph.Input($"x{k}", s)).ToArray();
                OnnxRuntimeRun.AssertAgrees(Node.Apply(operation, inputs4), [.. inputs4.Zip(DeclaredOperations.Values(operation, rank4, random))], float32);
                rankN++;
            }
        }
        output.WriteLine($"{exported} operations exported, {rankN} of them also on rank-4 operands");
        Assert.True(exported >= 25, $"only {exported} operations exported");
        Assert.True(rankN >= 15, $"only {rankN} operations checked on rank-4 operands");
    }

    /// <summary>Operations whose ONNX operators ONNX Runtime's CPU provider runs in float32 only (no float64 kernel): checked in float32.</summary>
    private static readonly HashSet<string> OnlyFloat32InOnnxRuntime = ["Conv2D", "AvgPool2D"];

    /// <summary>Rank-4 operands (one, or two of which the second broadcasts as the kernels do) that build the operation, or null.</summary>
    private static Shape[]? RankFourShapes(Operation operation)
    {
        Shape full = Shape.Of(2, 3, 2, 4), channel = Shape.Of(1, 1, 1, 4);
        foreach (Shape[] shapes in new Shape[][] { [full], [full, channel], [full, full] })
        {
            try
            {
                Node.Apply(operation, [.. shapes.Select((s, k) => (Node)Graph.Input($"x{k}", s))]);
                return shapes;
            }
            catch (Exception e) when (e is ShapeMismatchException or ArgumentException)
            {
            }
        }
        return null;
    }

    [Fact]
    public void SoftplusAgreesFarFromZero()
    {
        // Its lowering is written as the kernel computes it, max(x, 0) + log(1 + e^−|x|), so that it holds at ±60 too.
        var X = Graph.Input("X", 3);
        var x = DenseMatrix.Create(3, 7, (i, j) => (i * 7 + j - 10) * 6.0);
        var node = Op.Softplus(X);
        var actual = OnnxRuntimeRun.Run(OnnxExport.ToBytes([("y", node)]), x, "X", "y");
        Assert.True((node.Evaluate(new Feed { { X, x } }) - actual).Enumerate().Max(Math.Abs) <= 1e-12);
    }

    [Fact]
    public void AnOperationWithoutAnOnnxFormIsRefusedNamingItUntilItsFormIsRegistered()
    {
        var cube = new Elementwise("CubeForOnnx", (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i] * x[i]; }, derivative: (x, y) => 3.0 * Op.Square(x));
        var X = Graph.Input("X", 2);
        var e = Assert.Throws<NotSupportedException>(() => OnnxExport.ToBytes([("y", cube.Apply(X))]));
        Assert.Contains("'CubeForOnnx'", e.Message);
        Assert.Contains("OnnxExport.Register", e.Message);
        Assert.Contains("BinaryCrossEntropy", Assert.Throws<NotSupportedException>(() => OnnxExport.ToBytes([("cost", Network.LogisticRegression(2).Cost)])).Message);

        OnnxExport.Register("CubeForOnnx", (onnx, node, x) => onnx.Add("Mul", [x[0], onnx.Add("Mul", [x[0], x[0]])]));
        var input = DenseMatrix.OfArray(new[,] { { 1.5, -2.0 }, { 0.5, 3.0 } });
        var actual = RunInOnnxRuntime(OnnxExport.ToBytes([("y", cube.Apply(X))]), input, false, output: "y");
        Assert.Equal(-8.0, actual[0, 1]);
        Assert.Equal(27.0, actual[1, 1]);
    }

    [Fact]
    public void AnExportedFileIsWrittenAtomicallyAndLoadsInOnnxRuntime()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.onnx");
        var network = Network.Create([4, 3, 1]);
        OnnxExport.Save(network, path);
        using var session = new InferenceSession(path);
        Assert.Equal("X", session.InputMetadata.Keys.Single());
        Assert.Equal([4, -1], session.InputMetadata["X"].Dimensions);   // the batch dimension is symbolic
        Assert.Equal("probabilities", session.OutputMetadata.Keys.Single());
    }
}
