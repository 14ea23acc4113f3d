using GraphDiff.Onnx;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// The image operations in ONNX Runtime beyond their declared samples (every stride, padding and dilation in
/// play, batches of 0, 1 and several), and a whole small ConvNet (conv → ReLU → max pool → flatten → dense →
/// softmax) built with the Op builders, exported and run: the same probabilities as GraphDiff. ONNX Runtime's CPU
/// provider has no float64 Conv or AveragePool, so those run from float32 exports (1e-5 relative); max pooling
/// runs in float64 too.
/// </summary>
[Trait("Category", "Onnx")]
public class OnnxConvNetTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static Matrix<double> Random(Shape shape, int m, int seed) => OnnxRuntimeRun.Random(shape, m, seed, 1);

    [Theory]
    [InlineData(1, 0, 1, true, 3)]
    [InlineData(2, 1, 1, true, 1)]
    [InlineData(1, 2, 2, false, 0)]
    [InlineData(3, 1, 1, true, 4)]
    public void Conv2DRunsAsInGraphDiff(int stride, int padding, int dilation, bool bias, int m)
    {
        var images = Shape.Of(7, 6, 3, Shape.Batch);
        var X = Graph.Input("X", images);
        var W = Graph.Variable("W", Shape.Of(3, 2, 3, 4), Random(Shape.Of(3, 2, 3, 4), 1, 1));
        var b = Graph.Variable("b", new Shape(4, 1), Random(new Shape(4, 1), 1, 2));
        var z = Op.Conv2D(X, W, bias ? b : null, stride, padding, dilation);
        output.WriteLine($"{z.Shape}: {OnnxRuntimeRun.AssertAgrees(z, [(X, Random(images, m, 3))], float32: true):E2}");
    }

    [Theory]
    [InlineData(2, 0, 0, 3)]
    [InlineData(3, 2, 1, 2)]
    [InlineData(3, 1, 2, 1)]
    [InlineData(2, 3, 1, 0)]
    public void PoolingRunsAsInGraphDiff(int size, int stride, int padding, int m)
    {
        var images = Shape.Of(5, 7, 2, Shape.Batch);
        var X = Graph.Input("X", images);
        var x = Random(images, m, 4);
        OnnxRuntimeRun.AssertAgrees(Op.MaxPool2D(X, size, stride, padding), [(X, x)]);
        OnnxRuntimeRun.AssertAgrees(Op.MaxPool2D(X, size, stride, padding), [(X, x)], float32: true);
        OnnxRuntimeRun.AssertAgrees(Op.AvgPool2D(X, size, stride, padding), [(X, x)], float32: true);
    }

    [Theory]
    [InlineData(true, 4)]
    [InlineData(true, 1)]
    [InlineData(false, 5)]
    public void BatchNormalisationRunsAsInGraphDiffInFloat64(bool images, int m)
    {
        // Built from per-channel reductions, broadcasts and elementwise operations, both forms export as computed:
        // the training form with the batch's statistics, the inference form with the running ones.
        var shape = images ? Shape.Of(3, 2, 4, Shape.Batch) : new Shape(4, Shape.Batch);
        var X = Graph.Input("X", shape);
        Variable PerChannel(string name, int seed, double shift) => Graph.Variable(name, new Shape(4, 1), Random(new Shape(4, 1), 1, seed).Add(shift));
        Variable gamma = PerChannel("gamma", 1, 1), beta = PerChannel("beta", 2, 0), mean = PerChannel("mean", 3, 0), variance = PerChannel("variance", 4, 1.5);
        var x = Random(shape, m, 5);
        OnnxRuntimeRun.AssertAgrees(Op.BatchNorm(X, gamma, beta), [(X, x)]);
        OnnxRuntimeRun.AssertAgrees(Op.BatchNormInference(X, gamma, beta, mean, variance, epsilon: 1e-3), [(X, x)]);
        OnnxRuntimeRun.AssertAgrees(Op.BatchVariance(X), [(X, x)]);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1)]
    public void ASmallConvNetGivesTheSameProbabilitiesInOnnxRuntime(int m)
    {
        var images = Shape.Of(8, 8, 2, Shape.Batch);
        var X = Graph.Input("X", images);
        var W1 = Graph.Variable("W1", Shape.Of(3, 3, 2, 4), Random(Shape.Of(3, 3, 2, 4), 1, 5));
        var b1 = Graph.Variable("b1", new Shape(4, 1), Random(new Shape(4, 1), 1, 6));
        var W2 = Graph.Variable("W2", new Shape(3, 64), Random(new Shape(3, 64), 1, 7));
        var b2 = Graph.Variable("b2", new Shape(3, 1), Random(new Shape(3, 1), 1, 8));
        var a1 = Op.MaxPool2D(Op.ReLU(Op.Conv2D(X, W1, b1, padding: 1)), 2);
        var probabilities = Op.Softmax(Op.MatMul(W2, Op.Flatten(a1)) + b2);
        Assert.Equal(new Shape(3, Shape.Batch), probabilities.Shape);
        double worst = OnnxRuntimeRun.AssertAgrees(probabilities, [(X, Random(images, m, 9))], float32: true);
        output.WriteLine($"ConvNet, {m} examples, float32: largest relative difference {worst:E2}");
    }
}
