using GraphDiff.Nn;
using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// Data held as float32 (issue #21): MNIST read straight into floats, mini-batches of float tensors, and a float32
/// network trained on them without a double copy, to the same parameters as from the double data.
/// </summary>
public class SingleDataTests
{
    private static string Data(string relative) => Path.Combine(AppContext.BaseDirectory, "data", relative);

    private static readonly Lazy<(Matrix<double> Wide, Tensor<float> Single, int[] Digits)> Digits = new(() =>
    {
        var (wide, digits) = IdxFile.Read(Data("mnist-10k/t10k-images-idx3-ubyte.gz"), Data("mnist-10k/t10k-labels-idx1-ubyte.gz"));
        var (single, again) = IdxFile.ReadSingle(Data("mnist-10k/t10k-images-idx3-ubyte.gz"), Data("mnist-10k/t10k-labels-idx1-ubyte.gz"));
        Assert.Equal(digits, again);
        return (wide, single, digits);
    });

    [Fact]
    public void MnistReadAsFloatIsTheDoubleReadingRounded()
    {
        var (wide, single, _) = Digits.Value;
        Assert.Equal((wide.RowCount, wide.ColumnCount), (single.Rows, single.Columns));
        var values = Tensor.Of(wide).Span;
        var floats = single.Span;
        for (int i = 0; i < values.Length; i++)
            if ((float)values[i] != floats[i]) Assert.Fail($"element {i}: {floats[i]} read as float, {values[i]} as double");
    }

    [Fact]
    public void AFloatNetworkTrainsOnFloatBatchesToTheSameParametersAsOnTheDoubleData()
    {
        var (wide, single, digits) = Digits.Value;
        const int n = 600;
        var x = wide.SubMatrix(0, 784, 0, n);
        var y = Dataset.OneHot(digits.Take(n).ToArray(), 10);
        var fromDouble = Network.Create([784, 16, 10], new NetworkOptions { Seed = 3, Output = Activation.Softmax, Precision = Precision.Single });
        var fromFloat = Network.Create([784, 16, 10], new NetworkOptions { Seed = 3, Output = Activation.Softmax, Precision = Precision.Single });
        var options = new TrainingOptions { Epochs = 3, BatchSize = 64, ShuffleSeed = 5, Optimizer = new Adam(0.01) };
        Trainer.Train(fromDouble, new MemoryBatches(fromDouble.Data(x, y), options.BatchSize, options.ShuffleSeed), options);
        var source = new FloatOnly(new SingleBatches([("X", single.ColumnRange(0, n).Clone()), ("Y", Dataset.ToSingle(y))], options.BatchSize, options.ShuffleSeed));
        Trainer.Train(fromFloat, source, options with { Optimizer = new Adam(0.01) });
        // The double batches are rounded to the same floats the float batches hold: the runs are the same, bit for bit.
        foreach (var (p, q) in fromDouble.Parameters.Zip(fromFloat.Parameters)) Assert.True(p.Value.Equals(q.Value), $"{p.Name} differs");
        Assert.True(source.SingleBatches > 0);
        // Predictions from float examples are those from their double values.
        var test = single.ColumnRange(n, 200).Clone();
        var widened = Matrix<double>.Build.Dense(784, 200, (i, j) => test[i, j]);
        Assert.True(fromFloat.PredictProbabilities(test).Equals(fromFloat.PredictProbabilities(widened)));
        Assert.Equal(fromFloat.Predict(widened), fromFloat.Predict(test));
    }

    /// <summary>A float source whose double batches must not be read in a float run.</summary>
    private sealed class FloatOnly(SingleBatches inner) : IBatchSource
    {
        public int SingleBatches { get; private set; }
        public IReadOnlyList<string> Names => inner.Names;
        public int Examples => inner.Examples;
        public int BatchCount => inner.BatchCount;
        public bool HoldsSingle => true;
        public void BeginEpoch(int epoch) => inner.BeginEpoch(epoch);
        public IReadOnlyList<Matrix<double>> Batch(int index) => throw new InvalidOperationException("a float run read a double batch");
        public IReadOnlyList<Tensor<float>> SingleBatch(int index)
        {
            SingleBatches++;
            return ((IBatchSource)inner).SingleBatch(index);
        }
    }

    [Fact]
    public void FloatBatchesAreTheDoubleBatchesRoundedAndTheFullBatchIsTheDataItself()
    {
        var random = new Random(4);
        var x = TestData.Matrix(random, new Shape(5, 23), TestData.Unit);
        var y = TestData.Matrix(random, new Shape(2, 23), TestData.Unit);
        var input = (X: Graph.Input("X", 5), Y: Graph.Input("Y", 2));
        var wide = new MemoryBatches(new TrainingData { { input.X, x }, { input.Y, y } }, batchSize: 7, seed: 2);
        var single = new SingleBatches([("X", Dataset.ToSingle(x)), ("Y", Dataset.ToSingle(y))], batchSize: 7, seed: 2);
        Assert.Equal(wide.BatchCount, single.BatchCount);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            wide.BeginEpoch(epoch);
            single.BeginEpoch(epoch);
            for (int b = 0; b < wide.BatchCount; b++)
            {
                var expected = wide.Batch(b);
                var floats = ((IBatchSource)single).SingleBatch(b);
                for (int k = 0; k < 2; k++)
                    for (int j = 0; j < expected[k].ColumnCount; j++)
                        for (int i = 0; i < expected[k].RowCount; i++)
                            Assert.Equal((float)expected[k][i, j], floats[k][i, j]);
                Assert.True(single.Batch(b)[0].Equals(expected[0].Map(v => (double)(float)v)), "the widened batch");
            }
        }
        var data = Dataset.ToSingle(x);
        var whole = new SingleBatches([("X", data)]);
        whole.BeginEpoch(0);
        Assert.Same(data.Array, ((IBatchSource)whole).SingleBatch(0)[0].Array);
    }

    [Fact]
    public void BadFloatDataIsRefusedNamingIt()
    {
        var x = Tensor<float>.Zeros(3, 4);
        Assert.Contains("'Y' has 5 columns", Assert.Throws<ArgumentException>(() => new SingleBatches([("X", x), ("Y", Tensor<float>.Zeros(1, 5))])).Message);
        Assert.Contains("Names must differ", Assert.Throws<ArgumentException>(() => new SingleBatches([("X", x), ("X", x)])).Message);
        Assert.Contains("0 columns", Assert.Throws<ArgumentException>(() => new SingleBatches([("X", Tensor<float>.Zeros(3, 0))])).Message);
        Assert.Contains("without storage", Assert.Throws<ArgumentException>(() => new SingleBatches([("X", default)])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SingleBatches([("X", x)], batchSize: 0));
        var error = Assert.Throws<ArgumentException>(() => Dataset.ToSingle(Matrix<double>.Build.Dense(2, 2, (i, j) => i == 1 && j == 0 ? 1e39 : 0)));
        Assert.Contains("Element (1, 0)", error.Message);
        Assert.Contains("float32", error.Message);
        Assert.Throws<NotSupportedException>(() => ((IBatchSource)new MemoryBatches(new TrainingData { { Graph.Input("X", 3), Matrix<double>.Build.Dense(3, 4) } })).SingleBatch(0));
    }

    /// <summary>
    /// Float data in memory is checked whole before the first step, as double data is: a NaN or a bad label is named by
    /// its column in the whole data set, and the parameters are untouched.
    /// </summary>
    [Fact]
    public void BadFloatExamplesAreRefusedBeforeTrainingNamingTheirColumn()
    {
        var x = Tensor<float>.Zeros(3, 500);
        var labels = Tensor<float>.Zeros(1, 500);
        x[1, 400] = float.NaN;
        var network = Network.Create([3, 2, 1], new NetworkOptions { Precision = Precision.Single });
        var before = network.Parameters[0].Value.Clone();
        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(network, new SingleBatches([("X", x), ("Y", labels)], batchSize: 32, seed: 1), new TrainingOptions { Epochs = 1 }));
        Assert.Contains("example 400", error.Message);
        Assert.True(before.Equals(network.Parameters[0].Value));
        x[1, 400] = 0;
        labels[0, 321] = 2;
        var label = Assert.Throws<ArgumentException>(() => Trainer.Train(network, new SingleBatches([("X", x), ("Y", labels)], batchSize: 32, seed: 1), new TrainingOptions { Epochs = 1 }));
        Assert.Contains("example 321", label.Message);
    }
}
