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
    private static Matrix<double> RunInOnnxRuntime(byte[] model, Matrix<double> x, OnnxElementType type, string input = "X", string output = "probabilities")
    {
        using var session = new InferenceSession(model);
        int rows = x.RowCount, m = x.ColumnCount;
        var rowMajor = new double[rows * m];
        for (int i = 0; i < rows; i++) for (int j = 0; j < m; j++) rowMajor[i * m + j] = x[i, j];
        var value = type == OnnxElementType.Double
            ? NamedOnnxValue.CreateFromTensor(input, new DenseTensor<double>(rowMajor, [rows, m]))
            : NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(rowMajor.Select(v => (float)v).ToArray(), [rows, m]));
        using var results = session.Run([value]);
        var result = results.Single(r => r.Name == output);
        return type == OnnxElementType.Double ? ToMatrix(result.AsTensor<double>(), v => v) : ToMatrix(result.AsTensor<float>(), v => v);
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
        foreach (var (type, tolerance) in new[] { (OnnxElementType.Double, 1e-12), (OnnxElementType.Float, 1e-5) })
        {
            var bytes = OnnxExport.ToBytes([("probabilities", network.Output)], new OnnxOptions { ElementType = type });
            var actual = RunInOnnxRuntime(bytes, x, type);
            Assert.Equal(expected.RowCount, actual.RowCount);
            Assert.Equal(expected.ColumnCount, actual.ColumnCount);
            double worst = (expected - actual).Enumerate().Max(Math.Abs);
            output.WriteLine($"{network.Architecture} in {type}: largest difference {worst:E2} over {x.ColumnCount} examples");
            Assert.True(worst <= tolerance, $"{network.Architecture} in {type}: largest difference {worst:E2} from GraphDiff (tolerance {tolerance:E0})");
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
        foreach (var activation in Enum.GetValues<Activation>())
        {
            var network = Network.Create([3, 5, 4], new NetworkOptions { Hidden = activation == Activation.Softmax ? Activation.Tanh : activation, Output = activation, Seed = 3 });
            AssertSameAsGraphDiff(network, x);
        }
    }

    [Fact]
    public void EveryOperationWithAnOnnxFormComputesWhatGraphDiffComputes()
    {
        var random = new Random(5);
        var X = Graph.Input("X", 3);
        var W = Graph.Variable("W", DenseMatrix.Create(2, 3, (_, _) => random.NextDouble() - 0.5));
        var V = Graph.Variable("V", DenseMatrix.Create(3, 2, (_, _) => random.NextDouble() - 0.5));
        var b = Graph.Variable("b", DenseMatrix.Create(3, 1, (_, _) => random.NextDouble() - 0.5));
        var positive = Op.Exp(X);
        var cases = new (string Name, Node Node)[]
        {
            ("add", X + b), ("sub", X - b), ("mul", X * b), ("div", X / (Op.Abs(b) + 1.0)), ("neg", -X),
            ("exp", Op.Exp(X)), ("log", Op.Log(positive)), ("sqrt", Op.Sqrt(positive)), ("abs", Op.Abs(X)), ("square", Op.Square(X)),
            ("sigmoid", Op.Sigmoid(X)), ("tanh", Op.Tanh(X)), ("relu", Op.ReLU(X)), ("softplus", Op.Softplus(X * 30.0)), ("step", Op.Step(X)),
            ("leaky", Op.LeakyReLU(X, 0.1)), ("clip", Op.Clip(X, -0.5, 0.25)), ("power", Op.Power(positive, 2.5)),
            ("matmul", Op.MatMul(W, X)), ("matmulTT", Op.MatMul(V, true, Op.Transpose(X), true)), ("transpose", Op.Transpose(X)),
            ("sumAll", Op.Sum(X)), ("sumRows", Op.Sum(X, axis: 0)), ("sumColumns", Op.Sum(X, axis: 1)),
            ("mean", Op.Mean(X, axis: 1)), ("count", X * Op.Count(X, axis: 1)), ("broadcast", Op.BroadcastTo(b, X)),
            ("softmax", Op.Softmax(X)), ("logsoftmax", Op.LogSoftmax(X)),
        };
        var x = DenseMatrix.Create(3, 7, (_, _) => random.NextDouble() * 4 - 2);
        var bytes = OnnxExport.ToBytes(cases);
        foreach (var (name, node) in cases)
        {
            var expected = node.Evaluate(new Feed { { X, x } });
            var actual = RunInOnnxRuntime(bytes, x, OnnxElementType.Double, output: name);
            double worst = (expected - actual).Enumerate().Max(Math.Abs);
            Assert.True(worst <= 1e-12, $"{name}: {node} differs by {worst:E2}");
        }
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
        var actual = RunInOnnxRuntime(OnnxExport.ToBytes([("y", cube.Apply(X))]), input, OnnxElementType.Double, output: "y");
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
