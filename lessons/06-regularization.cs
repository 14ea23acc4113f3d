#:property PublishAot=false
#:project ../Nn/GraphDiff.Nn.csproj
// Lesson 6 — regularisation (course 2, week 1): a network that memorises 1,000 MNIST digits does worse on new ones.
// L2 adds λ/2m·Σ‖W‖² to the cost (weight decay: dW gains λ/m·W); dropout drops hidden units at random during
// training only; early stopping keeps the parameters of the epoch with the lowest validation cost. Look at: the
// gap between train and test accuracy in each case.
// Run it: dotnet run lessons/06-regularization.cs
using System.Globalization;
using GraphDiff;
using GraphDiff.Nn;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string Data(string file) => Path.Combine(Here(), "..", "data", "mnist-10k", file);
var (allX, allDigits) = IdxFile.Read(Data("train-images-idx3-ubyte.gz"), Data("train-labels-idx1-ubyte.gz"));
var (testX, testDigits) = IdxFile.Read(Data("t10k-images-idx3-ubyte.gz"), Data("t10k-labels-idx1-ubyte.gz"));
int[] Even(IEnumerable<int> digits) => digits.Select(d => d % 2 == 0 ? 1 : 0).ToArray();
const int n = 1000;
var x = allX.SubMatrix(0, 784, 0, n);
var y = Even(allDigits.Take(n));
var validationX = allX.SubMatrix(0, 784, n, 1000);
var validationY = Even(allDigits.Skip(n).Take(1000));
var testY = Even(testDigits);
Console.WriteLine($"Training on {n} digits (even or odd), testing on {testX.ColumnCount}.");

void Run(string name, NetworkOptions options, Func<Network, TrainingOptions, TrainingOptions>? extra = null)
{
    var network = Network.Create([784, 128, 64, 1], options with { Seed = 1 });
    var training = new TrainingOptions { Epochs = 60, BatchSize = 64, Optimizer = new Adam(0.001) };
    var history = Trainer.Train(network, x, Dataset.Row(y), extra?.Invoke(network, training) ?? training);
    double train = Metrics.Accuracy(network.Predict(x), y), test = Metrics.Accuracy(network.Predict(testX), testY);
    var stopped = history.StoppedEarlyAt is { } at ? $", stopped at epoch {at}, best {history.BestEpoch}" : "";
    Console.WriteLine($"  {name,-22} train {train:P1}  test {test:P1}  gap {(train - test) * 100,4:F1} points{stopped}");
}

Run("no regularisation", new NetworkOptions());
Run("L2, λ = 3", new NetworkOptions { L2 = 3 });
Run("L2, λ = 6", new NetworkOptions { L2 = 6 });
Run("dropout, keep 0.8", new NetworkOptions { KeepProbability = 0.8 });
Run("early stopping", new NetworkOptions(), (network, options) => options with
{
    Validation = network.Data(validationX, Dataset.Row(validationY)),
    EarlyStopping = new EarlyStopping { Patience = 5 },
});

// The folder of this lesson file (a file-based app knows its entry point), so the data is found from anywhere.
static string Here() => AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Path.Combine(Environment.CurrentDirectory, "lessons");
