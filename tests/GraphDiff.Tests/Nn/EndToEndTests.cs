using GraphDiff.Nn;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// Real data with short training: the models learn the shipped data sets. The examples train longer and
/// reach the published targets; these runs keep CI fast (a few seconds) while still failing if learning breaks.
/// Run only these with <c>dotnet test --filter Category=EndToEnd</c>.
/// </summary>
[Trait("Category", "EndToEnd")]
public class EndToEndTests
{
    private static string Data(string relative) => Path.Combine(AppContext.BaseDirectory, "data", relative);

    [Fact]
    public void LogisticRegressionLearnsBreastCancer()
    {
        var table = CsvTable.Read(Data("breast-cancer-wisconsin.csv"), "malignant");
        var (train, test) = table.Data.Split(0.25, seed: 1);
        var scaler = Standardizer.Fit(train.X);
        var model = Network.LogisticRegression(30);
        Trainer.Train(model, scaler.Transform(train.X), train.Y, new TrainingOptions { Epochs = 300, Optimizer = new GradientDescent(0.1) });
        Assert.True(Metrics.Accuracy(model.Predict(scaler.Transform(test.X)), test.Classes) >= 0.93);
    }

    [Fact]
    public void AShallowTanhNetworkSeparatesThePetals()
    {
        var flower = Dataset.Flower();
        var model = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Initialization = Initialization.SmallRandom, Seed = 2 });
        Trainer.Train(model, flower.X, flower.Y, new TrainingOptions { Epochs = 2000, Optimizer = new GradientDescent(1.2) });
        Assert.True(Metrics.Accuracy(model.Predict(flower.X), flower.Classes) >= 0.85);
    }

    [Fact]
    public void ASoftmaxNetworkLearnsDigits()
    {
        var (x, digits) = IdxFile.Read(Data("mnist-10k/t10k-images-idx3-ubyte.gz"), Data("mnist-10k/t10k-labels-idx1-ubyte.gz"));
        var data = new Dataset(x, Dataset.OneHot(digits, 10));
        var (train, test) = data.Split(0.25, seed: 1);
        var model = Network.Create([784, 32, 10], new NetworkOptions { Output = Activation.Softmax });
        Trainer.Train(model, train.X, train.Y, new TrainingOptions { Epochs = 5, BatchSize = 64, Optimizer = new Adam(0.002) });
        Assert.True(Metrics.Accuracy(model.Predict(test.X), test.Classes) >= 0.80);
    }
}
