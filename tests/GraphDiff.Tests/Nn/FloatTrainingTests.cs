using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// Training in float32 (issue #21): a network made with <see cref="NetworkOptions.Precision"/> = Single trains,
/// predicts and computes its cost in float32 and learns as the double network does; its parameters stay double, and
/// its gradient check evaluates in double, so the course's 1e−7 keeps its meaning.
/// </summary>
public class FloatTrainingTests
{
    private static string Data(string relative) => Path.Combine(AppContext.BaseDirectory, "data", relative);

    private static (Matrix<double> X, Matrix<double> Y, Matrix<double> TestX, int[] TestClasses) Cancer()
    {
        var table = CsvTable.Read(Data("breast-cancer-wisconsin.csv"), "malignant");
        var (train, test) = table.Data.Split(0.25, seed: 1);
        var scaler = Standardizer.Fit(train.X);
        return (scaler.Transform(train.X), train.Y, scaler.Transform(test.X), test.Classes);
    }

    [Fact]
    public void AFloatNetworkLearnsAsTheDoubleOneDoesOnRealData()
    {
        var (x, y, testX, testClasses) = Cancer();
        var costs = new Dictionary<Precision, IReadOnlyList<CostRecord>>();
        var accuracy = new Dictionary<Precision, double>();
        foreach (var precision in new[] { Precision.Double, Precision.Single })
        {
            var network = Network.Create([30, 8, 1], new NetworkOptions { Seed = 3, Precision = precision });
            var history = Trainer.Train(network, x, y, new TrainingOptions { Epochs = 200, BatchSize = 64, Optimizer = new Adam(0.01), RecordEvery = 20 });
            costs[precision] = history.Costs;
            accuracy[precision] = Metrics.Accuracy(network.Predict(testX), testClasses);
            Assert.Equal(precision, network.Precision);
        }
        Assert.True(accuracy[Precision.Single] >= 0.93, $"float32 test accuracy {accuracy[Precision.Single]:P2}");
        Assert.True(Math.Abs(accuracy[Precision.Single] - accuracy[Precision.Double]) <= 0.003 + 1e-9,
            $"test accuracy {accuracy[Precision.Single]:P2} in float32, {accuracy[Precision.Double]:P2} in float64");
        // The same trajectory within float rounding as it accumulates over 200 epochs of mini-batches.
        foreach (var (single, wide) in costs[Precision.Single].Zip(costs[Precision.Double]))
            Assert.True(Math.Abs(single.Cost - wide.Cost) <= 1e-3 * wide.Cost + 1e-5, $"epoch {wide.Epoch}: cost {single.Cost:G7} in float32, {wide.Cost:G7} in float64");
    }

    [Fact]
    public void AFloatModelTrainsWithTheOptionAndItsParametersStayDouble()
    {
        var (x, y, _, _) = Cancer();
        var network = Network.Create([30, 1], new NetworkOptions { Seed = 1, Initialization = Initialization.Zeros });
        var twin = Network.Create([30, 1], new NetworkOptions { Seed = 1, Initialization = Initialization.Zeros });
        var options = new TrainingOptions { Epochs = 5, Optimizer = new GradientDescent(0.5) };
        Trainer.Train(network.Model, network.Data(x, y), options with { Precision = Precision.Single });
        Trainer.Train(twin.Model, twin.Data(x, y), options);
        // Five full-batch steps: the float32 parameters are the double ones within float rounding, and not equal to them
        // (which would mean the option was ignored).
        var w = network.Parameters[0].Value;
        var v = twin.Parameters[0].Value;
        Assert.True((w - v).Enumerate().Max(Math.Abs) <= 1e-5 * v.Enumerate().Max(Math.Abs));
        Assert.False(w.Equals(v), "the float32 option changed nothing");
        Assert.Contains(w.Enumerate(), value => value != (float)value);   // double parameters, not floats widened
    }

    [Fact]
    public void AFloatNetworksGradientIsCheckedInDouble()
    {
        var (x, y, _, _) = Cancer();
        var network = Network.Create([30, 5, 1], new NetworkOptions { Seed = 2, Precision = Precision.Single, Hidden = Activation.Tanh });
        var check = GradientCheck.Run(network.Model, new Feed { { network.X, x.SubMatrix(0, 30, 0, 20) }, { network.Y, y.SubMatrix(0, 1, 0, 20) } });
        Assert.True(check.Passed, check.ToString());
        Assert.True(check.Difference < 1e-7, $"relative difference {check.Difference:G3}: the check ran in float?");
    }

    /// <summary>
    /// The ledger and a learner's gradients check a float32 network in double: the same text, bit for bit, as for its
    /// float64 twin (same seed, built on the same line).
    /// </summary>
    [Fact]
    public void TheTeachingToolsEvaluateAFloatNetworkInDouble()
    {
        static Network Make(Precision precision) => Network.Create([3, 2, 1], new NetworkOptions { Seed = 7, Hidden = Activation.Tanh, Precision = precision });
        var (single, wide) = (Make(Precision.Single), Make(Precision.Double));
        var random = new Random(3);
        var x = Matrix<double>.Build.Dense(3, 4, (_, _) => random.NextDouble() - 0.5);
        var y = Matrix<double>.Build.Dense(1, 4, (_, j) => j % 2);
        Feed FeedOf(Network n) => new() { { n.X, x }, { n.Y, y } };
        Assert.Equal(Backprop.Explain(wide.Cost, FeedOf(wide)).ToString(), Backprop.Explain(single.Cost, FeedOf(single)).ToString());
        // Fed float tensors (values that are floats already), the tools still run, in double.
        var (xs, ys) = (Dataset.ToSingle(x), Dataset.ToSingle(y));
        var floats = new Feed();
        floats.Add(single.X, xs);
        floats.Add(single.Y, ys);
        Assert.Equal(Backprop.Explain(wide.Cost, FeedOf(wide)).ToString(), Backprop.Explain(single.Cost, floats).ToString());
        var yours = new Dictionary<string, Matrix<double>> { ["dW1"] = Matrix<double>.Build.Dense(2, 3, 0.1) };
        Assert.Equal(LearnerGradients.Check(wide.Cost, FeedOf(wide), yours).ToString(), LearnerGradients.Check(single.Cost, FeedOf(single), yours).ToString());
    }

    [Theory]
    [InlineData(Precision.Single, false)]
    [InlineData(Precision.Double, false)]
    [InlineData(Precision.Single, true)]
    public void ATrainingStepAllocatesNothingOnceWarm(Precision precision, bool floatData)
    {
        var (x, y, _, _) = Cancer();
        var network = Network.Create([30, 16, 1], new NetworkOptions { Seed = 4, Precision = precision });
        IBatchSource source = floatData
            ? new SingleBatches([("X", Dataset.ToSingle(x)), ("Y", Dataset.ToSingle(y))], batchSize: 50, seed: 1)
            : new MemoryBatches(network.Data(x, y), batchSize: 50, seed: 1);
        var allocated = new List<long>();
        var progress = new Recorder(allocated);
        Trainer.Train(network, source, new TrainingOptions { Epochs = 6, Optimizer = new Adam(0.01), Progress = progress });
        // After two epochs every layout and buffer exists: iteration to iteration, nothing more is allocated.
        var warm = allocated.Skip(allocated.Count / 2).ToArray();
        Assert.True(warm.Max() == 0, $"bytes allocated between iterations of a warm training run: {string.Join(", ", warm)}");
    }

    /// <summary>Records the bytes this thread allocated between consecutive iteration reports.</summary>
    private sealed class Recorder(List<long> allocated) : IProgress<TrainingProgress>
    {
        private long last = -1;

        public void Report(TrainingProgress value)
        {
            if (value.IsEpochEnd) return;
            long now = GC.GetAllocatedBytesForCurrentThread();
            if (last >= 0) allocated.Add(now - last);
            last = GC.GetAllocatedBytesForCurrentThread();
        }
    }

    [Fact]
    public void AnOverflowInFloatTrainingNamesFloat32()
    {
        var x = Matrix<double>.Build.Dense(1, 4, (_, j) => 60 + j);
        var y = Matrix<double>.Build.Dense(1, 4, (_, j) => j % 2);
        var w = Graph.Variable("w", 1.5);
        var X = Graph.Input("X", 1);
        var Y = Graph.Input("Y", 1);
        var cost = Op.Mean(Op.Square(Op.Exp(w * X) - Y));
        var model = new Model(cost, [w], []);
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(model, new TrainingData { { X, x }, { Y, y } },
            new TrainingOptions { Epochs = 1, Precision = Precision.Single, Optimizer = new GradientDescent(1e-3) }));
        Assert.Contains("float32", error.Message);
        Assert.Contains("Precision.Double", error.Message);
    }

    /// <summary>
    /// A weight beyond float32 before training is not reported as training gone wrong: nothing was updated yet, and the
    /// advice is about the starting value (a README-only trial read "stopped at iteration 1 … a smaller learning rate").
    /// </summary>
    [Fact]
    public void AWeightBeyondFloat32BeforeTrainingSaysTrainingCouldNotStart()
    {
        var x = Matrix<double>.Build.Dense(2, 6, (i, j) => i + 0.1 * j);
        var y = Matrix<double>.Build.Dense(1, 6, (_, j) => j % 2);
        var network = Network.Create([2, 3, 1], new NetworkOptions { Precision = Precision.Single });
        network.Layers[0].W.Value[0, 0] = 1e40;
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(network, x, y, new TrainingOptions { Epochs = 1 }));
        Assert.Contains("could not start", error.Message);
        Assert.Contains("smaller initialisation", error.Message);
        Assert.DoesNotContain("stopped at iteration", error.Message);
    }

    /// <summary>
    /// Data that float32 cannot hold is refused before a float32 run starts, naming the example, for training and
    /// validation data alike; the same data trains in double.
    /// </summary>
    [Fact]
    public void DataBeyondFloat32IsRefusedBeforeAFloatRun()
    {
        var x = Matrix<double>.Build.Dense(2, 10, (i, j) => i + j * 0.1);
        var y = Matrix<double>.Build.Dense(1, 10, (_, j) => j % 2);
        x[0, 3] = 1e39;
        var network = Network.Create([2, 3, 1], new NetworkOptions { Precision = Precision.Single });
        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(network, x, y, new TrainingOptions { Epochs = 2 }));
        Assert.Contains("example 3", error.Message);
        Assert.Contains("float32", error.Message);
        Assert.Contains("Scale the data", error.Message);
        Assert.DoesNotContain("learning rate", error.Message);   // no learning rate has touched fed data
        var clean = x.Clone();
        clean[0, 3] = 1;
        var validation = Assert.Throws<ArgumentException>(() => Trainer.Train(network, clean, y, new TrainingOptions { Epochs = 2, Validation = network.Data(x, y) }));
        Assert.Contains("Validation input 'X'", validation.Message);
        Assert.Contains("float32", validation.Message);
    }

    /// <summary>A NaN is always an error: its message does not offer DetectDivergence = false, which cannot turn it off.</summary>
    [Fact]
    public void ANonFiniteValueDoesNotOfferTheDivergenceSwitch()
    {
        var x = Matrix<double>.Build.Dense(1, 4, (_, j) => j);
        var y = Matrix<double>.Build.Dense(1, 4, (_, j) => j % 2);
        var w = Graph.Variable("w", 1.0);
        var X = Graph.Input("X", 1);
        var Y = Graph.Input("Y", 1);
        var cost = Op.Mean(Op.Log(w * X - 1.5) - Y);   // log of a negative number at the first examples
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(new Model(cost, [w]), new TrainingData { { X, x }, { Y, y } },
            new TrainingOptions { Epochs = 1, DetectDivergence = false }));
        Assert.DoesNotContain("DetectDivergence", error.Message);
    }
}
