using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>Training never ends normally when it has gone wrong, and never starts on data outside the cost's domain.</summary>
public class TrainingSafetyTests
{
    private static Dataset BreastCancerUnstandardised() =>
        CsvTable.Read(Path.Combine(AppContext.BaseDirectory, "data", "breast-cancer-wisconsin.csv"), "malignant").Data;

    public static TheoryData<string> Optimisers => ["gd", "momentum", "adam"];

    private static IOptimizer Optimiser(string name, double alpha) => name switch
    {
        "gd" => new GradientDescent(alpha),
        "momentum" => new Momentum(alpha),
        _ => new Adam(alpha),
    };

    [Theory]
    [MemberData(nameof(Optimisers))]
    public void AHugeLearningRateOnUnstandardisedFeaturesIsReportedAsDivergence(string optimiser)
    {
        var data = BreastCancerUnstandardised();
        var net = Network.Create([30, 8, 1]);
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Train(net, data.X, data.Y, new TrainingOptions { Epochs = 200, Optimizer = Optimiser(optimiser, 1e6) }));
        Assert.Contains("α = 1E+06", error.Message);
        Assert.Contains("standardise", error.Message);
    }

    [Theory]
    [MemberData(nameof(Optimisers))]
    public void ASensibleRunOnStandardisedFeaturesIsNotFlagged(string optimiser)
    {
        var data = BreastCancerUnstandardised();
        var x = Standardizer.Fit(data.X).Transform(data.X);
        var net = Network.Create([30, 8, 1]);
        var history = Trainer.Train(net, x, data.Y, new TrainingOptions { Epochs = 300, Optimizer = Optimiser(optimiser, optimiser == "adam" ? 0.01 : 0.05) });
        Assert.True(history.Costs[^1].Cost < 0.2, $"final cost {history.Costs[^1].Cost}");
    }

    [Fact]
    public void TheGuardSeesACostThatRisesWellAboveItsStartOrKeepsRising()
    {
        var guard = new DivergenceGuard();
        Assert.Null(guard.AfterEpoch(0.69, 0, 100));
        Assert.Null(guard.AfterEpoch(0.80, 0, 100));
        Assert.Contains("rose from 0.69", guard.AfterEpoch(1.5, 0, 100));

        var slow = new DivergenceGuard();
        double cost = 0.5;
        string? reason = null;
        for (int epoch = 0; epoch < 30 && reason is null; epoch++) reason = slow.AfterEpoch(cost *= 1.02, 0, 100);
        Assert.Contains("in a row", reason);

        var noisy = new DivergenceGuard();
        for (int epoch = 0; epoch < 200; epoch++) Assert.Null(noisy.AfterEpoch(0.5 + 0.01 * Math.Sin(epoch) - epoch * 1e-4, 0, 100));
        Assert.Contains("saturated", new DivergenceGuard().AfterEpoch(12.9, 212, 569));
        Assert.Null(new DivergenceGuard().AfterEpoch(0.1, 2, 569));
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(-1.0)]
    [InlineData(255.0)]
    public void BinaryLabelsOutsideZeroToOneAreRefusedNamingTheExample(double bad)
    {
        var x = DenseMatrix.Create(2, 50, (i, j) => i + j * 0.1);
        var y = DenseMatrix.Create(1, 50, (_, j) => j % 2);
        y[0, 17] = bad;
        var net = Network.LogisticRegression(2);
        var train = Assert.Throws<ArgumentException>(() => Trainer.Train(net, x, y, new TrainingOptions { Epochs = 1 }));
        Assert.Contains("example 17", train.Message);
        Assert.Contains("[0, 1]", train.Message);
        Assert.Contains("example 17", Assert.Throws<ArgumentException>(() => net.ComputeCost(x, y)).Message);
    }

    [Fact]
    public void SoftLabelsInsideZeroToOneAreAccepted()
    {
        var net = Network.LogisticRegression(2);
        Assert.True(double.IsFinite(net.ComputeCost(new DenseMatrix(2, 3), DenseMatrix.Create(1, 3, 0.3))));
    }

    [Fact]
    public void SoftmaxTargetsThatAreNotDistributionsAreRefused()
    {
        var net = Network.Create([2, 3], new NetworkOptions { Output = Activation.Softmax });
        var x = new DenseMatrix(2, 4);
        var y = Dataset.OneHot([0, 1, 2, 1], 3);
        Assert.True(double.IsFinite(net.ComputeCost(x, y)));
        var zeros = (DenseMatrix)y.Clone();
        zeros.ClearColumn(2);
        Assert.Contains("example 2", Assert.Throws<ArgumentException>(() => net.ComputeCost(x, zeros)).Message);
        var twos = (DenseMatrix)y.Clone();
        twos[1, 3] = 2;
        Assert.Contains("example 3", Assert.Throws<ArgumentException>(() => Trainer.Train(net, x, twos, new TrainingOptions { Epochs = 1 })).Message);
    }

    [Fact]
    public void ANaNLabelIsReportedAtItsExampleNotItsPlaceInAShuffledBatch()
    {
        var x = DenseMatrix.Create(2, 200, (i, j) => i - j * 0.01);
        var y = DenseMatrix.Create(1, 200, (_, j) => j % 2);
        y[0, 100] = double.NaN;
        var error = Assert.Throws<ArgumentException>(() =>
            Trainer.Train(Network.LogisticRegression(2), x, y, new TrainingOptions { Epochs = 2, BatchSize = 32 }));
        Assert.Contains("example 100", error.Message);
    }

    [Fact]
    public void ANaNWeightBeforeTrainingIsBlamedOnTheParameterNotTheLearningRate()
    {
        var net = Network.Create([2, 3, 1]);
        net.Layers[0].W.Value[1, 0] = double.NaN;
        var error = Assert.Throws<ArgumentException>(() =>
            Trainer.Train(net, new DenseMatrix(2, 5), new DenseMatrix(1, 5), new TrainingOptions { Epochs = 1 }));
        Assert.Contains("'W1'", error.Message);
        Assert.Contains("before training", error.Message);
        Assert.DoesNotContain("learning rate", error.Message);
    }
}
