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

    /// <summary>Runs the exported model in ONNX Runtime on <paramref name="x"/> (n × m, GraphDiff's columns) and returns its output as a matrix.</summary>
    private static Matrix<double> RunInOnnxRuntime(byte[] model, Matrix<double> x, bool float32, string input = "X", string output = "probabilities")
    {
        using var session = new InferenceSession(model);
        int rows = x.RowCount, m = x.ColumnCount;
        var rowMajor = new double[rows * m];
        for (int i = 0; i < rows; i++) for (int j = 0; j < m; j++) rowMajor[i * m + j] = x[i, j];
        var value = !float32
            ? NamedOnnxValue.CreateFromTensor(input, new DenseTensor<double>(rowMajor, [rows, m]))
            : NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(rowMajor.Select(v => (float)v).ToArray(), [rows, m]));
        using var results = session.Run([value]);
        var result = results.Single(r => r.Name == output);
        return !float32 ? ToMatrix(result.AsTensor<double>(), v => v) : ToMatrix(result.AsTensor<float>(), v => v);
    }

    private static Matrix<double> ToMatrix<T>(Tensor<T> t, Func<T, double> convert)
    {
        var d = t.Dimensions;
        return DenseMatrix.Create(d[0], d[1], (i, j) => convert(t[i, j]));
    }

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
    /// shapes (broadcasting ones for the binary operations) with values from its declared domain; one that says
    /// it has none is refused by name.
    /// </summary>
    [Fact]
    public void EveryOperationWithAnOnnxFormComputesWhatGraphDiffComputes()
    {
        var random = new Random(5);
        var shapesCase = new OpCase(3, 4, 2, PatternA: 1, PatternB: 2, Seed: 0);
        int exported = 0;
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
            var feed = new Feed();
            for (int k = 0; k < inputs.Length; k++) feed.Add(inputs[k], values[k]);
            var expected = node.Evaluate(feed);
            var actual = RunInOnnxRuntime(OnnxExport.ToBytes([("y", node)]), inputs.Select(i => i.Name).Zip(values).ToArray(), "y");
            double worst = (expected - actual).Enumerate().Max(Math.Abs);
            Assert.True(worst <= 1e-12, $"{node} ({string.Join(", ", shapes)}) differs by {worst:E2}");
            exported++;
        }
        Assert.True(exported >= 25, $"only {exported} operations exported");
    }

    [Fact]
    public void SoftplusAgreesFarFromZero()
    {
        // Its lowering is written as the kernel computes it, max(x, 0) + log(1 + e^−|x|), so that it holds at ±60 too.
        var X = Graph.Input("X", 3);
        var x = DenseMatrix.Create(3, 7, (i, j) => (i * 7 + j - 10) * 6.0);
        var node = Op.Softplus(X);
        var actual = RunInOnnxRuntime(OnnxExport.ToBytes([("y", node)]), [("X", x)], "y");
        Assert.True((node.Evaluate(new Feed { { X, x } }) - actual).Enumerate().Max(Math.Abs) <= 1e-12);
    }

    /// <summary>Runs the exported model on several named inputs (float64, GraphDiff's columns) and returns <paramref name="output"/>.</summary>
    private static Matrix<double> RunInOnnxRuntime(byte[] model, (string Name, Matrix<double> Value)[] inputs, string output)
    {
        using var session = new InferenceSession(model);
        var values = inputs.Select(input =>
        {
            int rows = input.Value.RowCount, m = input.Value.ColumnCount;
            var rowMajor = new double[rows * m];
            for (int i = 0; i < rows; i++) for (int j = 0; j < m; j++) rowMajor[i * m + j] = input.Value[i, j];
            return NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<double>(rowMajor, [rows, m]));
        }).ToArray();
        using var results = session.Run(values);
        return ToMatrix(results.Single(r => r.Name == output).AsTensor<double>(), v => v);
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
