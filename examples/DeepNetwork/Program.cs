// Deep networks on MNIST-10k (8,000 training and 2,000 held-out digits), all defined as graphs:
//   1. even vs odd digit with a 2-layer network   [LINEAR→RELU] → LINEAR→SIGMOID
//   2. even vs odd digit with an L-layer network  [LINEAR→RELU]×2 → LINEAR→SIGMOID
//   3. the ten digits with a softmax output        [LINEAR→RELU]×2 → LINEAR→SOFTMAX
// then saves the 10-class model, loads it back and checks that the reloaded model predicts the same.
using GraphDiff;
using GraphDiff.Examples;
using GraphDiff.Nn;

ExampleSupport.Start();
int epochs = args.Length > 0 && int.TryParse(args[0], out int e) ? e : 15;
var (trainX, trainDigits) = IdxFile.Read(ExampleSupport.DataFile("mnist-10k/train-images-idx3-ubyte.gz"), ExampleSupport.DataFile("mnist-10k/train-labels-idx1-ubyte.gz"));
var (testX, testDigits) = IdxFile.Read(ExampleSupport.DataFile("mnist-10k/t10k-images-idx3-ubyte.gz"), ExampleSupport.DataFile("mnist-10k/t10k-labels-idx1-ubyte.gz"));
Console.WriteLine($"MNIST-10k: X_train {trainX.RowCount}×{trainX.ColumnCount}, X_test {testX.RowCount}×{testX.ColumnCount} (pixels scaled to [0, 1], one digit per column).");

int[] Even(int[] digits) => digits.Select(d => d % 2 == 0 ? 1 : 0).ToArray();
var trainEven = Even(trainDigits);
var testEven = Even(testDigits);
TrainingOptions Options(IProgress<TrainingProgress> progress) => new()
{
    Epochs = epochs,
    BatchSize = 128,
    Optimizer = new Adam(learningRate: 0.001),
    RecordEvery = 1,
    Progress = progress,   // a live bar per run (Spectre.Console, in the examples only)
};

void Report(string name, Network model, int[] trainLabels, int[] testLabels, TrainingHistory history)
{
    double train = Metrics.Accuracy(model.Predict(trainX), trainLabels);
    double test = Metrics.Accuracy(model.Predict(testX), testLabels);
    Console.WriteLine($"{name}: train accuracy {ExampleSupport.Percent(train)}, test accuracy {ExampleSupport.Percent(test)} ({history.Elapsed.TotalSeconds:F1} s)");
    Console.WriteLine();
}

// 1. Two layers, even vs odd.
Console.WriteLine();
var twoLayer = Network.Create([784, 128, 1], new NetworkOptions { Seed = 1 });
Console.Write(twoLayer.Describe());
var twoLayerHistory = TrainingProgressBar.Show("2-layer", epochs, p => Trainer.Train(twoLayer, trainX, Dataset.Row(trainEven), Options(p)));
Report("2-layer network, even vs odd", twoLayer, trainEven, testEven, twoLayerHistory);

// 2. L layers, even vs odd.
var deep = Network.Create([784, 128, 64, 1], new NetworkOptions { Seed = 1 });
Console.Write(deep.Describe());
// Check the reverse-mode gradients before training: 30 sampled elements of each parameter, on 100 digits.
var sampleColumns = Enumerable.Range(0, 100).ToArray();
var sample = new Dataset(trainX, Dataset.Row(trainEven)).Select(sampleColumns);
var check = GradientCheck.Run(deep.Cost, deep.Parameters, new Feed { { deep.X, sample.X }, { deep.Y, sample.Y } },
    new GradientCheckOptions { ElementsPerVariable = 30 });
Console.WriteLine($"Gradient check of W1…b3 (30 sampled elements each, 100 digits): difference {check.Difference:E2} ({check.Outcome})");
var deepHistory = TrainingProgressBar.Show("L-layer", epochs, p => Trainer.Train(deep, trainX, Dataset.Row(trainEven), Options(p)));
Report("L-layer network, even vs odd", deep, trainEven, testEven, deepHistory);

// 3. Ten classes with softmax and one-hot labels.
var softmax = Network.Create([784, 128, 64, 10], new NetworkOptions { Output = Activation.Softmax, Seed = 1 });
Console.Write(softmax.Describe());
var softmaxHistory = TrainingProgressBar.Show("softmax", epochs, p => Trainer.Train(softmax, trainX, Dataset.OneHot(trainDigits, 10), Options(p)));
Report("10-class softmax network", softmax, trainDigits, testDigits, softmaxHistory);
var predicted = softmax.Predict(testX);
Console.WriteLine("Confusion matrix on the 2,000 test digits (rows: true digit, columns: predicted):");
Console.Write(ConfusionMatrix.From(predicted, testDigits, 10));

// Save, reload, and check that the reloaded model predicts exactly the same.
var modelPath = ExampleSupport.OutputFile("mnist-softmax.gdmodel");
ModelFile.Save(softmax, modelPath);
var reloaded = ModelFile.Load(modelPath);
var again = reloaded.Predict(testX);
bool same = predicted.SequenceEqual(again) && softmax.PredictProbabilities(testX).Equals(reloaded.PredictProbabilities(testX));
Console.WriteLine();
Console.WriteLine($"Saved to {modelPath} ({new FileInfo(modelPath).Length:N0} bytes); reloaded: {reloaded.Architecture}");
Console.WriteLine($"Reloaded model predicts the same on all {testX.ColumnCount} test digits: {(same ? "yes" : "NO")}");

// Export to ONNX, for serving with ONNX Runtime (or any ONNX consumer): input X (784 × m), output probabilities (10 × m).
var onnxPath = ExampleSupport.OutputFile("mnist-softmax.onnx");
GraphDiff.Onnx.OnnxExport.Save(softmax, onnxPath);
Console.WriteLine($"Exported to ONNX: {onnxPath} ({new FileInfo(onnxPath).Length:N0} bytes)");

var curves = ExampleSupport.OutputFile("mnist-learning-curves.png");
Plots.Compare([("2-layer, even/odd", twoLayerHistory), ("L-layer, even/odd", deepHistory), ("softmax, 10 classes", softmaxHistory)], curves, "MNIST-10k: cost per epoch (Adam, batch 128)");
Console.WriteLine($"Learning curves written: {curves}");
if (!same) Environment.ExitCode = 1;
