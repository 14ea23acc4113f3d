using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

public class DataTests
{
    [Fact]
    public void StandardisationIsFittedOnTheTrainingSetOnly()
    {
        var train = DenseMatrix.OfArray(new[,] { { 1.0, 3.0 }, { 10, 10 } });
        var test = DenseMatrix.OfArray(new[,] { { 5.0 }, { 10 } });
        var scaler = Standardizer.Fit(train);
        Assert.Equal([2.0, 10.0], scaler.Mean);
        Assert.Equal(1.0, scaler.Deviation[0]);
        Assert.Equal(1.0, scaler.Deviation[1]); // a constant feature is only centred
        Assert.Equal(3.0, scaler.Transform(test)[0, 0]);
        Assert.Equal(0.0, scaler.Transform(test)[1, 0]);
        Assert.Throws<ArgumentException>(() => scaler.Transform(new DenseMatrix(3, 1)));
    }

    [Fact]
    public void TheSplitIsSeededAndStratified()
    {
        var labels = Enumerable.Range(0, 100).Select(j => j < 30 ? 1 : 0).ToArray();
        var data = new Dataset(DenseMatrix.Create(1, 100, (_, j) => j), Dataset.Row(labels));
        var (train, test) = data.Split(0.2, seed: 3);
        Assert.Equal(80, train.Count);
        Assert.Equal(20, test.Count);
        Assert.Equal(6, test.Classes.Count(c => c == 1));
        Assert.Equal(100, train.X.Enumerate().Concat(test.X.Enumerate()).Distinct().Count());
        var again = data.Split(0.2, seed: 3);
        Assert.Equal(test.X, again.Test.X);
        Assert.NotEqual(test.X, data.Split(0.2, seed: 4).Test.X);
    }

    [Fact]
    public void OneHotEncodingPutsOneOnePerColumn()
    {
        var y = Dataset.OneHot([2, 0, 1], 3);
        Assert.Equal(DenseMatrix.OfArray(new[,] { { 0.0, 1, 0 }, { 0, 0, 1 }, { 1, 0, 0 } }), y);
        Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.OneHot([3], 3));
    }

    [Fact]
    public void ThePlanarFlowerHasTwoBalancedClassesOfPetals()
    {
        var flower = Dataset.Flower();
        Assert.Equal(2, flower.X.RowCount);
        Assert.Equal(400, flower.Count);
        Assert.Equal(200, flower.Classes.Count(c => c == 1));
        Assert.All(flower.X.Enumerate(), v => Assert.InRange(v, -5.5, 5.5));
        Assert.Equal(flower.X, Dataset.Flower(seed: 1).X);
    }

    [Fact]
    public void MetricsCountWhatWasRight()
    {
        Assert.Equal(0.75, Metrics.Accuracy([1, 0, 1, 1], [1, 0, 0, 1]));
        var confusion = ConfusionMatrix.From([1, 0, 1, 1], [1, 0, 0, 1], 2);
        Assert.Equal(1, confusion[0, 0]);
        Assert.Equal(1, confusion[0, 1]);
        Assert.Equal(2, confusion[1, 1]);
        Assert.Contains("true\\pred", confusion.ToString());
        Assert.Equal([0, 2, 1], Labels.Decide(DenseMatrix.OfArray(new[,] { { 0.9, 0.1, 0.2 }, { 0.05, 0.1, 0.7 }, { 0.05, 0.8, 0.1 } })));
        Assert.Equal([1, 0], Labels.Decide(DenseMatrix.OfArray(new[,] { { 0.51, 0.5 } })));
    }

    [Fact]
    public void PlotsAreWrittenAsPngFiles()
    {
        using var dir = new TempDirectory();
        var flower = Dataset.Flower(40, seed: 2);
        var network = Network.Create([2, 3, 1], new NetworkOptions { Hidden = Activation.Tanh });
        var history = Trainer.Train(network, flower.X, flower.Y, new TrainingOptions { Epochs = 20, RecordEvery = 5, Optimizer = new GradientDescent(0.5) });
        Plots.LearningCurve(history, dir.File("curve.png"));
        Plots.Compare([("a", history), ("b", history)], dir.File("compare.png"));
        Plots.DecisionBoundary(network, flower, dir.File("boundary.png"), resolution: 30);
        foreach (var name in new[] { "curve.png", "compare.png", "boundary.png" })
        {
            var bytes = File.ReadAllBytes(dir.File(name));
            Assert.True(bytes.Length > 1000, name);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        }
    }
}
