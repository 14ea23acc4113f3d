#:property PublishAot=false
#:project ../Nn/GraphDiff.Nn.csproj
// Lesson 9 — float32 for training, float64 for checking. Every model of the course, trained twice from the same
// seeds: once in float64 (the default) and once with NetworkOptions.Precision = Precision.Single, where every value of
// a training step is a float32 (twice the numbers per register, half the memory) and the parameters stay double.
// Look at: the accuracies side by side, the times, a float network's gradient check (it runs in double), and what
// happens when a value overflows float32 but not float64.
// Run it: dotnet run lessons/09-float32.cs   (about two minutes; add "quick" to leave out the ConvNet)
using System.Diagnostics;
using System.Globalization;
using GraphDiff;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
bool quick = args.Contains("quick");
string Mnist(string file) => Path.Combine(Here(), "..", "data", "mnist-10k", file);
var (trainX, trainDigits) = IdxFile.Read(Mnist("train-images-idx3-ubyte.gz"), Mnist("train-labels-idx1-ubyte.gz"));
var (testX, testDigits) = IdxFile.Read(Mnist("t10k-images-idx3-ubyte.gz"), Mnist("t10k-labels-idx1-ubyte.gz"));
int[] Even(IEnumerable<int> digits) => digits.Select(d => d % 2 == 0 ? 1 : 0).ToArray();
var table = CsvTable.Read(Path.Combine(Here(), "..", "data", "breast-cancer-wisconsin.csv"), labelColumn: "malignant");
var (cancerTrain, cancerTest) = table.Data.Split(testFraction: 0.25, seed: 1);
var scaler = Standardizer.Fit(cancerTrain.X);
var flower = Dataset.Flower();
var flower3 = Dataset.Flower(m: 400, seed: 3);

// (1) Each model of the course in both precisions: the same seeds, the same data, the same optimiser settings.
var results = new List<(string Model, double Wide, double Single, double WideSeconds, double SingleSeconds)>();
void Compare(string model, Func<Precision, double> trainAndScore)
{
    var clock = Stopwatch.StartNew();
    double wide = trainAndScore(Precision.Double);
    double wideSeconds = clock.Elapsed.TotalSeconds;
    clock.Restart();
    double single = trainAndScore(Precision.Single);
    results.Add((model, wide, single, wideSeconds, clock.Elapsed.TotalSeconds));
    var r = results[^1];
    Console.WriteLine($"  {model,-46} {r.Wide,8:P2} {r.Single,8:P2} {(r.Single - r.Wide) * 100,7:+0.00;-0.00;0.00} pp {r.WideSeconds,6:F1} s {r.SingleSeconds,6:F1} s");
}

Console.WriteLine("(1) Test accuracy (for the two flower networks, training accuracy) in float64 and float32, and the training time of each:");
Console.WriteLine($"  {"model",-46} {"float64",8} {"float32",8} {"change",10} {"float64",8} {"float32",8}");
Compare("logistic regression, breast cancer", precision =>
{
    var model = Network.Create([30, 1], new NetworkOptions { Output = Activation.Sigmoid, Initialization = Initialization.Zeros, Precision = precision });
    Trainer.Train(model, scaler.Transform(cancerTrain.X), cancerTrain.Y, new TrainingOptions { Epochs = 1000, Optimizer = new GradientDescent(0.01) });
    return Metrics.Accuracy(model.Predict(scaler.Transform(cancerTest.X)), cancerTest.Classes);
});
Compare("2-4-1 tanh network, the flower", precision =>
{
    var network = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Initialization = Initialization.SmallRandom, Seed = 2, Precision = precision });
    Trainer.Train(network, flower.X, flower.Y, new TrainingOptions { Epochs = 5000, Optimizer = new GradientDescent(1.2) });
    return Metrics.Accuracy(network.Predict(flower.X), flower.Classes);
});
foreach (var sizes in new[] { new[] { 784, 128, 1 }, new[] { 784, 128, 64, 32, 1 } })
    Compare($"{string.Join("-", sizes)} ReLU, MNIST even/odd", precision =>
    {
        var network = Network.Create(sizes, new NetworkOptions { Seed = 1, Precision = precision });
        Trainer.Train(network, trainX, Dataset.Row(Even(trainDigits)), new TrainingOptions { Epochs = 5, BatchSize = 128, Optimizer = new Adam(0.001) });
        return Metrics.Accuracy(network.Predict(testX), Even(testDigits));
    });
Compare("784-128-64-1 with dropout 0.8, 1,000 digits", precision =>
{
    var network = Network.Create([784, 128, 64, 1], new NetworkOptions { Seed = 1, KeepProbability = 0.8, Precision = precision });
    Trainer.Train(network, trainX.SubMatrix(0, 784, 0, 1000), Dataset.Row(Even(trainDigits.Take(1000))), new TrainingOptions { Epochs = 60, BatchSize = 64, Optimizer = new Adam(0.001) });
    return Metrics.Accuracy(network.Predict(testX), Even(testDigits));
});
Compare("2-5-2-1 ReLU, Adam on mini-batches", precision =>
{
    var network = Network.Create([2, 5, 2, 1], new NetworkOptions { Seed = 3, Precision = precision });
    Trainer.Train(network, flower3.X, flower3.Y, new TrainingOptions { Epochs = 300, BatchSize = 64, ShuffleSeed = 1, Optimizer = new Adam(0.01) });
    return Metrics.Accuracy(network.Predict(flower3.X), flower3.Classes);
});
if (!quick)
    Compare("lesson 8's ConvNet, 10 epochs, MNIST", precision =>
    {
        var network = new Network(new Architecture(Shape.Of(28, 28, 1, Shape.Batch),
            [Layer.Conv2D(16, 5, padding: 2), Layer.MaxPool(2), Layer.Conv2D(32, 5, padding: 2), Layer.MaxPool(2),
             Layer.Flatten(), Layer.Dense(128), Layer.Dense(10, Activation.Softmax)], CostFunction.SoftmaxCrossEntropy), seed: 1, precision: precision);
        Trainer.Train(network, trainX, Dataset.OneHot(trainDigits, 10),
            new TrainingOptions { Epochs = 10, BatchSize = 64, ShuffleSeed = 1, Optimizer = new Adam(0.001),
                                  Schedule = LearningRateSchedule.InverseTime(decayRate: 0.25, interval: 1) });
        return Metrics.Accuracy(network.Predict(testX), testDigits);
    });
double largest = results.Max(r => Math.Abs(r.Single - r.Wide)) * 100;
Console.WriteLine($"  The largest change is {largest:F2} percentage points (GraphDiff's target: within 0.3).");
Console.WriteLine("  The time saved grows with the layers: a step over a few thousand numbers (the flower) is spent in fixed costs,");
Console.WriteLine("  not arithmetic, and is slower in float32.");

// (2) The check stays in double: a float32 network's gradient is checked by planning its graph in float64 on the
// same (double) parameters, so the course's 1e−7 keeps its meaning.
var small = Network.Create([4, 3, 1], new NetworkOptions { Hidden = Activation.Tanh, Seed = 5, Precision = Precision.Single });
var random = new Random(2);
var feed = new Feed { { small.X, DenseMatrix.Create(4, 6, (_, _) => random.NextDouble() - 0.5) }, { small.Y, DenseMatrix.Create(1, 6, (_, j) => j % 2) } };
Console.WriteLine();
Console.WriteLine("(2) A float32 network's gradient check (in double):");
Console.Write(GradientCheck.Run(small.Model, feed));

// (3) A value that float32 cannot hold: e^89.5 is 7.4·10³⁸, past float32's largest, 3.4·10³⁸. The plan does not pass ∞ on.
var x = Graph.Input("x", 1);
var y = Op.Exp(x).Named("y");
var big = new Feed { { x, DenseMatrix.OfArray(new double[,] { { 1, 89.5 } }) } };
Console.WriteLine();
Console.WriteLine($"(3) e^x in float64: {new EvaluationPlan([y]).Run(big)[y][0, 1]:G6}. In float32:");
try { new EvaluationPlan([y], Precision.Single).Run(big); }
catch (NonFiniteValueException e) { Console.WriteLine("  " + e.Message); }

// The folder of this lesson file (a file-based app knows its entry point), so the data is found from anywhere.
static string Here() => AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Path.Combine(Environment.CurrentDirectory, "lessons");
