using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

/// <summary>The trainer's hooks: progress, validation, early stopping, schedules, clipping, and L2 and dropout.</summary>
public class OpenTrainerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static (Matrix<double> X, Matrix<double> Y) Flower(int seed = 1)
    {
        var d = Dataset.Flower(seed: seed);
        return (d.X, d.Y);
    }

    private sealed class Collect : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];
        public void Report(TrainingProgress value) => Reports.Add(value);
    }

    [Fact]
    public void ProgressIsReportedAfterEveryIterationAndEveryEpoch()
    {
        var (x, y) = Flower();
        var net = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh });
        var progress = new Collect();
        var history = Trainer.Train(net, x, y, new TrainingOptions { Epochs = 5, BatchSize = 100, Optimizer = new GradientDescent(0.5), Progress = progress, RecordEvery = 1 });
        Assert.Equal(5 * 4, progress.Reports.Count(r => !r.IsEpochEnd));   // 400 examples in batches of 100
        var ends = progress.Reports.Where(r => r.IsEpochEnd).ToArray();
        Assert.Equal([1, 2, 3, 4, 5], ends.Select(r => r.Epoch));
        Assert.Equal(history.Costs.Select(c => c.Cost), ends.Select(r => r.Cost));
        Assert.Equal(Enumerable.Range(1, 20), progress.Reports.Where(r => !r.IsEpochEnd).Select(r => r.Iteration));
        Assert.All(ends, r => Assert.True(double.IsNaN(r.ValidationCost)));
    }

    [Fact]
    public void TheValidationCostIsRecordedAndLeavesDropoutOut()
    {
        var (x, y) = Flower(1);
        var (xv, yv) = Flower(2);
        var net = Network.Create([2, 8, 1], new NetworkOptions { Hidden = Activation.Tanh, KeepProbability = 0.7, L2 = 0.1 });
        var history = Trainer.Train(net, x, y, new TrainingOptions { Epochs = 30, Optimizer = new GradientDescent(0.5), Validation = net.Data(xv, yv), RecordEvery = 10 });
        Assert.All(history.Costs, c => Assert.True(double.IsFinite(c.ValidationCost)));
        // After the last epoch the parameters are those the last validation cost was computed with.
        Assert.Equal(net.ComputeCost(xv, yv), history.FinalValidationCost, 12);
    }

    [Fact]
    public void EarlyStoppingStopsAfterPatienceAndRestoresTheBestParameters()
    {
        var (x, y) = Flower();
        // Labels flipped in the validation set: as training fits the training labels, the validation cost rises.
        var flipped = y.Map(v => 1 - v);
        var net = Network.Create([2, 6, 1], new NetworkOptions { Hidden = Activation.Tanh, Initialization = Initialization.SmallRandom, Seed = 3 });
        var history = Trainer.Train(net, x, y, new TrainingOptions
        {
            Epochs = 500, Optimizer = new GradientDescent(1.0), RecordEvery = 1, DetectDivergence = false,
            Validation = net.Data(x, flipped), EarlyStopping = new EarlyStopping { Patience = 5 },
        });
        Assert.NotNull(history.StoppedEarlyAt);
        Assert.True(history.StoppedEarlyAt < 500);
        Assert.Equal(history.BestEpoch + 5, history.StoppedEarlyAt);
        var best = history.Costs.Single(c => c.Epoch == history.BestEpoch);
        Assert.Equal(history.Costs.Min(c => c.ValidationCost), best.ValidationCost);
        Assert.Equal(best.ValidationCost, net.ComputeCost(x, flipped), 12);   // the best parameters are back
    }

    [Fact]
    public void LearningRateSchedulesFollowTheCoursesFormulas()
    {
        Assert.Equal([0.5, 0.25, 0.5 / 3], new[] { 0, 1, 2 }.Select(t => LearningRateSchedule.InverseTime(1).At(t, 0.5)));
        Assert.Equal([0.1, 0.1, 0.05, 0.05], new[] { 0, 9, 10, 19 }.Select(t => LearningRateSchedule.InverseTime(1, interval: 10).At(t, 0.1)));
        Assert.Equal(0.1 * Math.Pow(0.95, 7), LearningRateSchedule.Exponential(0.95).At(7, 0.1), 15);
        Assert.Equal([1, 1, 0.5, 0.25], new[] { 0, 2, 3, 6 }.Select(t => LearningRateSchedule.Step(3, 0.5).At(t, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Exponential(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.InverseTime(-1));

        var (x, y) = Flower();
        var net = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh });
        var history = Trainer.Train(net, x, y, new TrainingOptions { Epochs = 4, Optimizer = new GradientDescent(0.8), Schedule = LearningRateSchedule.InverseTime(1), RecordEvery = 1 });
        Assert.Equal([0.8, 0.4, 0.8 / 3, 0.2], history.Costs.Select(c => c.LearningRate));
        Assert.Equal(0.8, history.LearningRate);
    }

    [Fact]
    public void GradientClippingLimitsTheStepToTheLearningRateTimesTheLimit()
    {
        var (x, y) = Flower();
        var net = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Seed = 5 });
        var before = net.Parameters.Select(p => p.Value.Clone()).ToArray();
        const double alpha = 0.1, limit = 1e-3;
        Trainer.Train(net, x, y, new TrainingOptions { Epochs = 1, Optimizer = new GradientDescent(alpha), ClipGradientNorm = limit });
        double step = Math.Sqrt(net.Parameters.Select((p, k) => (p.Value - before[k]).Enumerate().Sum(v => v * v)).Sum());
        Assert.Equal(alpha * limit, step, 12);
    }

    [Fact]
    public void TheL2RegularisedCostIsTheCoursesAndPassesTheGradientCheck()
    {
        var (x, y) = Flower();
        var plain = Network.Create([2, 5, 3, 1], new NetworkOptions { Seed = 4 });
        var regularised = Network.Create([2, 5, 3, 1], new NetworkOptions { Seed = 4, L2 = 0.7 });
        double squares = regularised.Layers.Sum(l => l.W.Value.Enumerate().Sum(v => v * v));
        Assert.Equal(plain.ComputeCost(x, y) + 0.7 / (2 * 400) * squares, regularised.ComputeCost(x, y), 12);
        var sample = new Feed { { regularised.X, x.SubMatrix(0, 2, 0, 30) }, { regularised.Y, y.SubMatrix(0, 1, 0, 30) } };
        var check = GradientCheck.Run(regularised.Cost, regularised.Parameters, sample);
        Assert.True(check.Passed, check.ToString());
        // dW gains (λ/m)·W.
        var dW = Gradients.Of(regularised.Cost, regularised.Layers[0].W)[regularised.Layers[0].W].Evaluate(sample);
        var dWPlain = Gradients.Of(plain.Cost, plain.Layers[0].W)[plain.Layers[0].W].Evaluate(new Feed { { plain.X, x.SubMatrix(0, 2, 0, 30) }, { plain.Y, y.SubMatrix(0, 1, 0, 30) } });
        Assert.True((dW - dWPlain - 0.7 / 30 * regularised.Layers[0].W.Value).Enumerate().All(v => Math.Abs(v) < 1e-12));
    }

    [Fact]
    public void DropoutIsInTheTrainingCostOnlyAndIsSeeded()
    {
        var (x, y) = Flower();
        Network Make() => Network.Create([2, 50, 1], new NetworkOptions { Hidden = Activation.Tanh, KeepProbability = 0.8, Seed = 9 });
        var net = Make();
        Assert.Contains(Graph.Order([net.Cost]), n => n.Operation.Name == "DropoutMask");
        Assert.DoesNotContain(Graph.Order([net.Output]), n => n.Operation.Name == "DropoutMask");
        Assert.DoesNotContain(Graph.Order([net.EvaluationCost]), n => n.Operation.Name == "DropoutMask");
        // Predictions use every unit: the same as a network without dropout and the same weights.
        var plain = Network.Create([2, 50, 1], new NetworkOptions { Hidden = Activation.Tanh, Seed = 9 });
        Assert.True(net.PredictProbabilities(x).Enumerate().SequenceEqual(plain.PredictProbabilities(x).Enumerate()));
        // The mask keeps about 80% of the units and scales them by 1/0.8; each evaluation draws a new one.
        var a1 = Graph.Order([net.Cost]).First(n => n.Operation.Name == "DropoutMask");
        var feed = new Feed { { net.X, x } };
        var mask1 = a1.Evaluate(feed);
        var mask2 = a1.Evaluate(feed);
        Assert.All(mask1.Enumerate(), v => Assert.True(v == 0 || v == 1 / 0.8));
        Assert.InRange(mask1.Enumerate().Count(v => v > 0) / (double)mask1.Enumerate().Count(), 0.78, 0.82);
        Assert.False(mask1.Enumerate().SequenceEqual(mask2.Enumerate()));
        // Seeded: two networks built alike train alike (the masks of one network follow one sequence, so fresh ones).
        var first = Trainer.Train(Make(), x, y, new TrainingOptions { Epochs = 20, Optimizer = new GradientDescent(0.5) });
        var second = Trainer.Train(Make(), x, y, new TrainingOptions { Epochs = 20, Optimizer = new GradientDescent(0.5) });
        Assert.Equal(first.FinalCost, second.FinalCost);
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void L2NarrowsTheTrainTestGapOnMnist()
    {
        string Data(string f) => Path.Combine(AppContext.BaseDirectory, "data", "mnist-10k", f);
        var (trainX, trainDigits) = IdxFile.Read(Data("train-images-idx3-ubyte.gz"), Data("train-labels-idx1-ubyte.gz"));
        var (testX, testDigits) = IdxFile.Read(Data("t10k-images-idx3-ubyte.gz"), Data("t10k-labels-idx1-ubyte.gz"));
        // 1,000 training examples: few enough that the unregularised network overfits them.
        const int n = 1000;
        var x = trainX.SubMatrix(0, 784, 0, n);
        int[] Even(IEnumerable<int> d) => d.Select(v => v % 2 == 0 ? 1 : 0).ToArray();
        var yTrain = Even(trainDigits.Take(n));
        var yTest = Even(testDigits);
        (double Train, double Test) Run(double lambda)
        {
            var net = Network.Create([784, 128, 64, 1], new NetworkOptions { Seed = 1, L2 = lambda });
            Trainer.Train(net, x, Dataset.Row(yTrain), new TrainingOptions { Epochs = 60, BatchSize = 64, Optimizer = new Adam(0.001) });
            return (Metrics.Accuracy(net.Predict(x), yTrain), Metrics.Accuracy(net.Predict(testX), yTest));
        }
        var plain = Run(0);
        var l2 = Run(6);
        output.WriteLine($"unregularised: train {plain.Train:P2}, test {plain.Test:P2}, gap {(plain.Train - plain.Test) * 100:F2} points");
        output.WriteLine($"L2 λ = 6:      train {l2.Train:P2}, test {l2.Test:P2}, gap {(l2.Train - l2.Test) * 100:F2} points");
        Assert.True(plain.Train - plain.Test > 0.03, "the unregularised network should overfit 1,000 examples");
        Assert.True(l2.Train - l2.Test < plain.Train - plain.Test, $"L2 gap {l2.Train - l2.Test:P2} is not below the unregularised {plain.Train - plain.Test:P2}");
    }
}
