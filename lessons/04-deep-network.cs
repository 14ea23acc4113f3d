#:property PublishAot=false
#:project ../Nn/GraphDiff.Nn.csproj
// Lesson 4 — an L-layer deep network (course week 4): [LINEAR→RELU]×(L−1) → LINEAR→SIGMOID on MNIST digits,
// even against odd. Look at: the shapes of W[l] (n[l] × n[l−1]) and b[l] (n[l] × 1), how the cost falls epoch by
// epoch, and train against test accuracy for a 2-layer and a 4-layer network.
// Run it: dotnet run lessons/04-deep-network.cs
using System.Globalization;
using GraphDiff;
using GraphDiff.Nn;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string Data(string file) => Path.Combine(Here(), "..", "data", "mnist-10k", file);
var (trainX, trainDigits) = IdxFile.Read(Data("train-images-idx3-ubyte.gz"), Data("train-labels-idx1-ubyte.gz"));
var (testX, testDigits) = IdxFile.Read(Data("t10k-images-idx3-ubyte.gz"), Data("t10k-labels-idx1-ubyte.gz"));
int[] Even(int[] digits) => digits.Select(d => d % 2 == 0 ? 1 : 0).ToArray();
var trainY = Even(trainDigits);
var testY = Even(testDigits);
Console.WriteLine($"X_train is {trainX.RowCount} × {trainX.ColumnCount} (28×28 pixels per column), labels 1 for an even digit.");

foreach (var sizes in new[] { new[] { 784, 128, 1 }, new[] { 784, 128, 64, 32, 1 } })
{
    var network = Network.Create(sizes, new NetworkOptions { Seed = 1 });
    Console.WriteLine();
    Console.Write(network.Describe());
    var history = Trainer.Train(network, trainX, Dataset.Row(trainY), new TrainingOptions { Epochs = 5, BatchSize = 128, Optimizer = new Adam(0.001), RecordEvery = 1 });
    foreach (var record in history.Costs) Console.WriteLine($"  cost after epoch {record.Epoch}: {record.Cost:F4}");
    Console.WriteLine($"  train accuracy {Metrics.Accuracy(network.Predict(trainX), trainY):P1}, test accuracy {Metrics.Accuracy(network.Predict(testX), testY):P1}");
}

// The folder of this lesson file (a file-based app knows its entry point), so the data is found from anywhere.
static string Here() => AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Path.Combine(Environment.CurrentDirectory, "lessons");
