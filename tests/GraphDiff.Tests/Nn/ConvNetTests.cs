using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

/// <summary>Networks of convolution, pooling, batch-norm and dense layers: shapes, initialisation, training, files, threads.</summary>
public class ConvNetTests
{
    private static readonly Shape Image6 = Shape.Of(6, 6, 1, Shape.Batch);

    // conv 3×3 (4 filters, same size) → batch norm → ReLU → max pool 2 → flatten → dense 2 softmax.
    private static Network Tiny(int seed = 1) => new(new Architecture(Image6,
        [Layer.Conv2D(4, 3, padding: 1, activation: Activation.Identity), Layer.BatchNorm(activation: Activation.ReLU),
         Layer.MaxPool(2), Layer.Flatten(), Layer.Dense(2, Activation.Softmax)], CostFunction.SoftmaxCrossEntropy), seed: seed);

    // Class 1: a bright spot in the top half of the 6×6 image, class 0: in the bottom half; faint noise elsewhere.
    private static (Matrix<double> X, Matrix<double> Y) Spots(int m, int seed)
    {
        var random = new Random(seed);
        var x = DenseMatrix.Create(36, m, (_, _) => random.NextDouble() * 0.1);
        var labels = new int[m];
        for (int j = 0; j < m; j++)
        {
            labels[j] = j % 2;
            int row = (labels[j] == 1 ? 0 : 3) + random.Next(3), column = random.Next(6);
            x[row * 6 + column, j] = 1;
        }
        return (x, Dataset.OneHot(labels, 2));
    }

    [Fact]
    public void TheLessonsConvNetHasTheCoursesShapesAndParameterCount()
    {
        var network = new Network(new Architecture(Shape.Of(28, 28, 1, Shape.Batch),
            [Layer.Conv2D(16, 5, padding: 2), Layer.MaxPool(2), Layer.Conv2D(32, 5, padding: 2), Layer.MaxPool(2),
             Layer.Flatten(), Layer.Dense(128), Layer.Dense(10, Activation.Softmax)], CostFunction.SoftmaxCrossEntropy));
        Assert.Equal([Shape.Of(5, 5, 1, 16), new Shape(16, 1), Shape.Of(5, 5, 16, 32), new Shape(32, 1), new Shape(128, 1568), new Shape(128, 1), new Shape(10, 128), new Shape(10, 1)],
            network.Parameters.Select(p => p.Shape));
        Assert.Equal(16 * 25 + 16 + 32 * 400 + 32 + 128 * 1568 + 128 + 10 * 128 + 10, network.ParameterCount);
        Assert.Equal([784, 28 * 28 * 16, 14 * 14 * 16, 14 * 14 * 32, 7 * 7 * 32, 1568, 128, 10], network.Architecture.LayerSizes);
        Assert.Equal(new Shape(10, Shape.Batch), network.Output.Shape);
        Assert.Equal(2, network.Layers.Count);   // the dense layers
        Assert.Contains("layer 3: CONV5×5×32 p2→RELU   W3: 5×5×16×32  b3: 32×1   → 14×14×32×m", network.Describe());
        var rgb = Shape.Of(28, 28, 3, Shape.Batch);
        Assert.Equal(Shape.Of(24, 24, 8, Shape.Batch), Layer.Conv2D(8, 5).OutputShape(1, rgb));
        Assert.Equal(Shape.Of(13, 13, 8, Shape.Batch), Layer.Conv2D(8, 5, stride: 2, padding: 1).OutputShape(1, rgb));
        Assert.Equal(Shape.Of(9, 9, 3, Shape.Batch), Layer.MaxPool(3).OutputShape(1, rgb));
        Assert.Equal(Shape.Of(15, 15, 3, Shape.Batch), Layer.AvgPool(2, stride: 2, padding: 1).OutputShape(1, rgb));
    }

    [Fact]
    public void ConvolutionKernelsAreHeInitialisedOverTheirFanIn()
    {
        var network = new Network(new Architecture(Shape.Of(8, 8, 8, Shape.Batch), [Layer.Conv2D(256, 5), Layer.Flatten(), Layer.Dense(1, Activation.Sigmoid)], CostFunction.BinaryCrossEntropy), seed: 3);
        var w = Tensor.Of(network.Parameters[0].Value).Array;
        double expected = Math.Sqrt(2.0 / (5 * 5 * 8)), mean = w.Average(), sd = Math.Sqrt(w.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(51_200, w.Length);
        Assert.InRange(sd / expected, 0.98, 1.02);
        Assert.InRange(Math.Abs(mean), 0, 4 * expected / Math.Sqrt(w.Length));
        Assert.All(Tensor.Of(network.Parameters[1].Value).Array, b => Assert.Equal(0, b));
    }

    [Fact]
    public void BatchNormRunningAveragesFollowANaiveComputation()
    {
        // Batch norm right on the input: its batch statistics are the data's, whatever the training does.
        var network = new Network(new Architecture(Shape.Of(3, 2, 2, Shape.Batch), [Layer.BatchNorm(momentum: 0.2), Layer.Flatten(), Layer.Dense(2, Activation.Softmax)], CostFunction.SoftmaxCrossEntropy));
        var random = new Random(5);
        var x = DenseMatrix.Create(12, 7, (i, j) => random.NextDouble() * 3 + i % 2);
        var y = Dataset.OneHot([0, 1, 1, 0, 1, 0, 0], 2);
        Trainer.Train(network, x, y, new TrainingOptions { Epochs = 3, Optimizer = new Adam(0.01) });
        double[] mean = new double[2], variance = [1, 1], running = new double[2];
        for (int c = 0; c < 2; c++)
        {
            var values = Enumerable.Range(0, 7).SelectMany(j => Enumerable.Range(0, 6).Select(p => x[p * 2 + c, j])).ToArray();
            double mu = values.Average(), unbiased = values.Sum(v => (v - mu) * (v - mu)) / (values.Length - 1);
            for (int step = 0; step < 3; step++)
            {
                running[c] = 0.8 * running[c] + 0.2 * mu;
                variance[c] = 0.8 * variance[c] + 0.2 * unbiased;
            }
            mean[c] = running[c];
        }
        Assert.Equal(["mean1", "variance1"], network.RunningAverages.Select(v => v.Name));
        var (runningMean, runningVariance) = (Tensor.Of(network.RunningAverages[0].Value).Array, Tensor.Of(network.RunningAverages[1].Value).Array);
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(mean[c], runningMean[c], 12);
            Assert.Equal(variance[c], runningVariance[c], 12);
        }
    }

    [Fact]
    public void TrainingATinyConvNetReducesItsCostAndPredictsWithRunningAverages()
    {
        var network = Tiny();
        var (x, y) = Spots(40, 2);
        var history = Trainer.Train(network, x, y, new TrainingOptions { Epochs = 30, BatchSize = 10, ShuffleSeed = 1, Optimizer = new Adam(0.01) });
        Assert.True(history.Costs[^1].Cost < history.Costs[0].Cost / 2, $"{history.Costs[0].Cost} → {history.Costs[^1].Cost}");
        Assert.NotEqual(network.Cost, network.EvaluationCost);
        Assert.InRange(Metrics.Accuracy(network.Predict(x), Labels.Decide(y)), 0.9, 1);
    }

    [Fact]
    public void AConvNetSavedAndLoadedPredictsTheSame()
    {
        using var dir = new TempDirectory();
        var network = Tiny(4);
        var (x, y) = Spots(20, 3);
        Trainer.Train(network, x, y, new TrainingOptions { Epochs = 3, BatchSize = 5, Optimizer = new Adam(0.01) });
        ModelFile.Save(network, dir.File("conv.gdmodel"));
        var loaded = ModelFile.Load(dir.File("conv.gdmodel"));
        Assert.Equal(network.Architecture, loaded.Architecture);
        Assert.Equal(network.Architecture.ToString(), loaded.Architecture.ToString());
        Assert.Equal(network.RunningAverages.Select(v => Tensor.Of(v.Value).Array), loaded.RunningAverages.Select(v => Tensor.Of(v.Value).Array));
        Assert.Equal(Tensor.Of(network.PredictProbabilities(x)).Array, Tensor.Of(loaded.PredictProbabilities(x)).Array);
    }

    [Fact]
    public void PredictionsFromSeveralThreadsEqualOneThreads()
    {
        var network = Tiny(5);
        var (x, _) = Spots(33, 4);
        var expected = Tensor.Of(network.PredictProbabilities(x)).Array;
        var results = new double[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
        {
            for (int r = 0; r < 5; r++) results[k] = Tensor.Of(network.PredictProbabilities(x)).Array;
        });
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void ALayerThatDoesNotFitItsInputIsNamedWithTheShapes()
    {
        Error(Shape.Of(28, 28, 1, Shape.Batch), [Layer.Dense(10, Activation.Softmax)], "Layer 1 (LINEAR(10)→SOFTMAX) does not fit its input 28×28×1×m", "Layer.Flatten()");
        Error(Shape.Of(4, 4, 1, Shape.Batch), [Layer.Conv2D(2, 3), Layer.Conv2D(2, 3), Layer.Flatten(), Layer.Dense(1, Activation.Sigmoid)],
            "Layer 2 (CONV3×3×2→RELU) does not fit its input 2×2×2×m", "at least 3×3");
        Error(new Shape(784, Shape.Batch), [Layer.MaxPool(2), Layer.Dense(1, Activation.Sigmoid)], "Layer 1 (MAXPOOL2) does not fit its input 784×m", "Shape.Of(28, 28, 1, Shape.Batch)");
        Error(Shape.Of(4, 4, 1, Shape.Batch), [Layer.Conv2D(2, 3)], "The last layer (CONV3×3×2→RELU) gives 2×2×2×m", "Layer.Flatten()");
        Assert.Throws<ArgumentOutOfRangeException>(() => Layer.Conv2D(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Layer.BatchNorm(momentum: 0));
        // A bad argument names the layer call it was given to.
        Assert.Contains("Layer.Conv2D(4, 3, stride: 0, padding: 0): stride is 0; it must be 1 or more",
            Assert.Throws<ArgumentOutOfRangeException>(() => Layer.Conv2D(4, 3, stride: 0)).Message);
        Assert.Contains("Layer.MaxPool(2, stride: -1, padding: 0): the stride is -1",
            Assert.Throws<ArgumentOutOfRangeException>(() => Layer.MaxPool(2, stride: -1)).Message);
        Assert.Contains("Layer.Dense(0): units is 0", Assert.Throws<ArgumentOutOfRangeException>(() => Layer.Dense(0)).Message);

        static void Error(Shape input, Layer[] layers, params string[] parts)
        {
            var error = Assert.Throws<ArgumentException>(() => new Architecture(input, layers, CostFunction.BinaryCrossEntropy));
            Assert.All(parts, p => Assert.Contains(p, error.Message));
        }
    }

    [Fact]
    public void DenseArchitecturesAreTheLayerListsTheyAlwaysWere()
    {
        var sizes = new Architecture([4, 3, 1], [Activation.ReLU, Activation.Sigmoid], CostFunction.BinaryCrossEntropy);
        var layers = new Architecture(new Shape(4, Shape.Batch), [Layer.Dense(3), Layer.Dense(1, Activation.Sigmoid)], CostFunction.BinaryCrossEntropy);
        Assert.Equal(sizes, layers);
        Assert.Equal(sizes.ToString(), layers.ToString());
        Assert.Equal(["Dense", "Dense"], sizes.Layers.Select(l => l.Type));
    }
}
