#:property PublishAot=false
#:project ../Nn/GraphDiff.Nn.csproj
// Lesson 8 — convolutional networks (course 4, weeks 1–2): CONV → RELU → POOL twice, then dense layers, on MNIST
// digits (8,000 to train, 2,000 to test), all ten classes. Look at: (1) the ledger of one convolution on a 3×3 image,
// where dJ/dW of the kernel is a sum over every position the kernel visited; (2) the convolution and batch-norm
// layers gradient-checked (with blame, should one be wrong); (3) the shapes layer by layer, (n_H, n_W, n_C, m), and
// the parameter count, most of it in the first dense layer; (4) test accuracy after 10 epochs of Adam.
// Measured (AMD EPYC, 2 cores, AVX2): 98.50 % test accuracy after 10 epochs, trained in 0.6 min (1 min in all, built
// before); without the α decay below, 97.50 %. PyTorch's same network reaches 97.5–97.8 % (without decay).
// (2) flags b1 "at rounding level": its gradient is 0 (batch norm subtracts each channel's mean right after the
// convolution, so J does not depend on b1), and the relative difference of two zeros means nothing; the lesson says so.
// Run it: dotnet run lessons/08-convnet.cs   (or: dotnet run lessons/08-convnet.cs -- 1   for a single epoch)
using System.Diagnostics;
using System.Globalization;
using GraphDiff;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// (1) One convolution by hand: a 3×3 image, a 2×2 kernel, no padding, stride 1: a 2×2 output, J = Σ Z.
// Each kernel weight met four pixels, one per output position, so dJ/dW[ky, kx] = Σ over positions (h, w) of
// dJ/dZ[h, w] · x[h + ky, w + kx]: here the sum of the 2×2 block of x starting at (ky, kx).
var image = Graph.Input("x", Shape.Of(3, 3, 1, Shape.Batch));
var kernel = Graph.Variable("W", Shape.Of(2, 2, 1, 1), DenseMatrix.OfColumnMajor(4, 1, [1, 0, -1, 2]));
var z = Op.Conv2D(image, kernel).Named("Z");
var pixels = DenseMatrix.OfColumnMajor(9, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
Console.WriteLine("(1) Z = conv(x, W), J = Σ Z, with x = [[1 2 3] [4 5 6] [7 8 9]] and W = [[1 0] [-1 2]]:");
Console.Write(Backprop.Explain(Op.Sum(z).Named("J"), new Feed { { image, pixels } }, kernel));
Console.WriteLine("By hand: dJ/dW = [[1+2+4+5  2+3+5+6] [4+5+7+8  5+6+8+9]] = [[12 16] [24 28]].");

// (2) A small ConvNet with batch norm, gradient-checked on a few random 6×6 images: every parameter of the
// convolution (W1, b1) and of batch norm (gamma2, beta2) against central differences.
var small = new Network(new Architecture(Shape.Of(6, 6, 1, Shape.Batch),
    [Layer.Conv2D(3, 3, padding: 1, activation: Activation.Identity), Layer.BatchNorm(activation: Activation.Tanh),
     Layer.AvgPool(2), Layer.Flatten(), Layer.Dense(3, Activation.Softmax)], CostFunction.SoftmaxCrossEntropy), Initialization.Xavier, seed: 2);
var random = new Random(1);
var smallFeed = new Feed { { small.X, DenseMatrix.Create(36, 4, (_, _) => random.NextDouble()) }, { small.Y, Dataset.OneHot([0, 1, 2, 1], 3) } };
Console.WriteLine();
Console.WriteLine($"(2) {small.Architecture}: the gradients against finite differences");
Console.Write(GradientCheck.Run(small.Cost, small.Parameters, smallFeed));
Console.WriteLine("b1 is flagged, not failed: its gradient is 0 (largest |g| 5e-16, rounding), so their relative difference means nothing.");
Console.WriteLine("It is 0 because batch norm subtracts each channel's mean, and with it any bias added before it. That is");
Console.WriteLine("why the course drops b[l] in a layer followed by batch norm (β[l] takes its place).");

// (3) The network of the lesson, as PyTorch's reference (torch_cnn) builds it.
string Data(string file) => Path.Combine(Here(), "..", "data", "mnist-10k", file);
var (trainX, trainDigits) = IdxFile.Read(Data("train-images-idx3-ubyte.gz"), Data("train-labels-idx1-ubyte.gz"));
var (testX, testDigits) = IdxFile.Read(Data("t10k-images-idx3-ubyte.gz"), Data("t10k-labels-idx1-ubyte.gz"));
var network = new Network(new Architecture(Shape.Of(28, 28, 1, Shape.Batch),
    [Layer.Conv2D(16, 5, padding: 2), Layer.MaxPool(2), Layer.Conv2D(32, 5, padding: 2), Layer.MaxPool(2),
     Layer.Flatten(), Layer.Dense(128), Layer.Dense(10, Activation.Softmax)], CostFunction.SoftmaxCrossEntropy), seed: 1);
Console.WriteLine();
Console.WriteLine($"(3) X_train is {trainX.RowCount} × {trainX.ColumnCount}: each column a 28×28×1 image, pixels row after row.");
Console.Write(network.Describe());
var picture = Path.Combine(Path.GetTempPath(), "convnet.svg");
var svg = GraphSvg.Render(network.Cost);
File.WriteAllText(picture, svg);
Console.WriteLine($"The network's graph: {picture} ({Width(svg)} px wide).");

// (4) Training: mini-batches of 64, Adam α = 0.001 decayed as α/(1 + epoch/4) so the last epochs settle rather than
// jitter, 10 epochs (fewer if given on the command line).
int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var clock = Stopwatch.StartNew();
var history = Trainer.Train(network, trainX, Dataset.OneHot(trainDigits, 10),
    new TrainingOptions { Epochs = epochs, BatchSize = 64, ShuffleSeed = 1, Optimizer = new Adam(0.001), RecordEvery = 1,
                      Schedule = LearningRateSchedule.InverseTime(decayRate: 0.25, interval: 1) });
Console.WriteLine();
Console.WriteLine("(4) The training cost J, averaged over each epoch's mini-batches:");
Console.WriteLine("    " + string.Join("  ", history.Costs.Select(c => $"epoch {c.Epoch}: {c.Cost:F4}")));
Console.WriteLine($"Trained in {clock.Elapsed.TotalMinutes:F1} min; test accuracy {Metrics.Accuracy(network.Predict(testX), testDigits):P2} on the 2,000 held-out digits.");

static string Width(string svg) => svg[(svg.IndexOf("width=\"", StringComparison.Ordinal) + 7)..].Split('"')[0];

// The folder of this lesson file (a file-based app knows its entry point), so the data is found from anywhere.
static string Here() => AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Path.Combine(Environment.CurrentDirectory, "lessons");
