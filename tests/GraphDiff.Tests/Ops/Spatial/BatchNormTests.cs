using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// Batch statistics and batch normalisation, in the course's (n, m) form and per channel of (…, n_C, m), against
/// plain loops (forward, and the backward through mean and variance), finite differences to second order,
/// the inference form with given statistics, one and zero examples, and the per-channel kernels split over cores.
/// </summary>
public class BatchNormTests
{
    public static TheoryData<int[]> Shapes() => new() { new[] { 3, 5 }, new[] { 1, 2 }, new[] { 5, 4, 2 }, new[] { 2, 3, 4, 3 }, new[] { 3, 3, 17, 2 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TrainingFormMatchesAPlainLoopForwardAndBackward(int[] dims)
    {
        var (x, gamma, beta, c) = Operands(dims, new Random(dims.Sum()));
        var y = Op.BatchNorm(x, gamma, beta);
        var naive = Naive(x.Value.ToColumnMajorArray(), c, gamma.Value.Column(0).ToArray(), beta.Value.Column(0).ToArray(), 1e-5);
        Close(naive.Y, y.Evaluate().ToColumnMajorArray(), "y");
        Close(naive.Mean, Op.BatchMean(x).Evaluate().ToColumnMajorArray(), "mean");
        Close(naive.Variance, Op.BatchVariance(x).Evaluate().ToColumnMajorArray(), "variance");
        var dy = TestData.Matrix(new Random(5), y.Shape, TestData.Any);
        var grads = Gradients.Of(y, Graph.Constant(dy, "dY") is var seed && y.Shape.Rank > 2 ? Op.Reshape(seed, y.Shape) : seed, [x, gamma, beta]);
        var expected = naive.Backward(dy.ToColumnMajorArray());
        Close(expected.Dx, grads[0].Evaluate().ToColumnMajorArray(), "dx");
        Close(expected.DGamma, grads[1].Evaluate().ToColumnMajorArray(), "dγ");
        Close(expected.DBeta, grads[2].Evaluate().ToColumnMajorArray(), "dβ");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientsAgreeWithFiniteDifferencesToSecondOrder(int[] dims)
    {
        var random = new Random(dims.Length * 31 + dims[0]);
        var (x, gamma, beta, _) = Operands(dims, random);
        var y = Op.BatchNorm(x, gamma, beta, epsilon: 0.01);
        GradientAssert.Agrees(GradientAssert.WeightedSum(y, 3), [x, gamma, beta], y);
        var upstream = Graph.Variable("G", y.Shape, TestData.Matrix(random, y.Shape, TestData.Any));
        var grads = Gradients.Of(y, upstream, [x, gamma]);
        GradientAssert.Agrees(GradientAssert.WeightedSum(grads[0], 4) + GradientAssert.WeightedSum(grads[1], 5), [x, gamma, upstream], "second order");
        var inference = Op.BatchNormInference(x, gamma, beta, Op.BatchMean(x), Op.BatchVariance(x) + 0.5);
        GradientAssert.Agrees(GradientAssert.WeightedSum(inference, 6), [x, gamma, beta], inference);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void InferenceFormUsesTheGivenStatistics(int[] dims)
    {
        var random = new Random(dims.Sum() + 1);
        var (x, gamma, beta, c) = Operands(dims, random);
        var mean = Graph.Variable("μ", TestData.Matrix(random, new Shape(c, 1), TestData.Any));
        var variance = Graph.Variable("σ²", TestData.Matrix(random, new Shape(c, 1), TestData.Positive));
        var y = Op.BatchNormInference(x, gamma, beta, mean, variance, epsilon: 1e-3).Evaluate().ToColumnMajorArray();
        var xs = x.Value.ToColumnMajorArray();
        for (int i = 0; i < xs.Length; i++)
        {
            int k = i % (xs.Length / dims[^1]) % c;
            double want = gamma.Value[k, 0] * (xs[i] - mean.Value[k, 0]) / Math.Sqrt(variance.Value[k, 0] + 1e-3) + beta.Value[k, 0];
            Assert.True(Math.Abs(want - y[i]) <= 1e-12 * (1 + Math.Abs(want)), $"element {i}: {y[i]}, expected {want}");
        }
    }

    [Fact]
    public void OneExampleIsRefusedAsANoOpAndNoExamplesAsEmptyData()
    {
        var x = Graph.Input("Z", 3);
        var gamma = Graph.Variable("γ", DenseMatrix.Create(3, 1, 2.0));
        var beta = Graph.Variable("β", DenseMatrix.OfColumnMajor(3, 1, [0.5, -1, 2]));
        var y = Op.BatchNorm(x, gamma, beta);
        // One example: each unit is its own mean, y would be β whatever Z, with no gradient to Z (PyTorch refuses it too).
        var one = Assert.Throws<InvalidOperationException>(() => y.Evaluate(new Feed { { x, DenseMatrix.OfColumnMajor(3, 1, [7.0, -3, 1]) } }));
        Assert.Contains("BatchNorm(Z) at BatchNormTests.cs:", one.Message);
        Assert.Contains("one example", one.Message);
        Assert.Contains("batches of 2 or more", one.Message);
        // An image has many values per channel even in one example: defined.
        var image = Graph.Input("A", Shape.Of(2, 2, 3, Shape.Batch));
        Assert.Equal(12, Op.BatchNorm(image, gamma, beta).Evaluate(new Feed { { image, DenseMatrix.Build.Random(12, 1, 4) } }).RowCount);
        Assert.Equal(3, y.Evaluate(new Feed { { x, DenseMatrix.Build.Random(3, 2, 5) } }).RowCount);
        var empty = Assert.Throws<NonFiniteValueException>(() => y.Evaluate(new Feed { { x, new DenseMatrix(3, 0) } }));
        Assert.Contains("BatchMean(Z)", empty.Message);
        Assert.Contains("The data is empty", empty.Message);
        var images = Graph.Input("A", Shape.Of(2, 2, 3, Shape.Batch));
        Assert.Throws<NonFiniteValueException>(() => Op.BatchVariance(images).Evaluate(new Feed { { images, new DenseMatrix(12, 0) } }));
    }

    [Fact]
    public void OperandsThatAreNotPerChannelAreRefusedNamingWhatFits()
    {
        var images = Graph.Input("A1", Shape.Of(4, 4, 8, Shape.Batch));
        var wrong = Graph.Variable("γ", DenseMatrix.Create(4, 1, 1.0));
        var beta = Graph.Variable("β", DenseMatrix.Create(8, 1, 0.0));
        var e = Assert.Throws<ShapeMismatchException>(() => Op.BatchNorm(images, wrong, beta));
        Assert.Contains("BatchNorm(A1, γ, β)", e.Message);
        Assert.Contains("γ must be (8, 1), one value per channel of A1", e.Message);
        Assert.Throws<ShapeMismatchException>(() => Op.BatchMean(Graph.Input("X", Shape.Batch, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Op.BatchNorm(images, beta, beta, epsilon: -1));
    }

    [Theory]
    [InlineData(16, 64)]   // 8 channels × 64 positions = 512 per example and block: 128 examples reach the threshold
    [InlineData(20, 1)]    // the course's (n, m): blocks of 8 rows, the last one short
    public void PerChannelKernelsGiveTheSameBitsOnAnyNumberOfCores(int channels, int spatial)
    {
        var axes = new ChannelAxes(channels, spatial);
        int reduceThreshold = (int)(SpatialParallel.Threshold / (8L * spatial)), spreadThreshold = (int)(SpatialParallel.Threshold / axes.Rows);
        foreach (int m in new[] { 0, 1, reduceThreshold - 1, reduceThreshold, reduceThreshold + 1, spreadThreshold - 1, spreadThreshold, spreadThreshold + 1 })
        {
            var random = new Random(m);
            var x = Tensor.Of(TestData.Matrix(random, new Shape(axes.Rows, Math.Max(m, 1)), TestData.Any)).ColumnRange(0, m);
            var v = Tensor.Of(TestData.Matrix(random, new Shape(channels, 1), TestData.Any));
            var naive = new double[channels];
            for (int j = 0; j < m; j++)
                for (int r = 0; r < axes.Rows; r++) naive[r % channels] += x[r, j];
            foreach (bool mean in new[] { false, true })
            {
                var (reduce, spread) = (new ChannelReduceOperation(axes, mean), new ChannelBroadcastOperation(axes, mean));
                double[] one = Reduce(reduce, x, 1), oneSpread = Spread(spread, v, axes.Rows, m, 1);
                if (m > 0) Close(mean ? [.. naive.Select(s => s / (spatial * m))] : naive, one, $"m={m} sum");
                for (int r = 0; r < axes.Rows * m; r++) Assert.Equal(v[r % channels, 0] / (mean ? (double)spatial * m : 1), oneSpread[r]);
                for (int cores = 2; cores <= 4; cores++)
                {
                    Assert.Equal(one, Reduce(reduce, x, cores));
                    Assert.Equal(oneSpread, Spread(spread, v, axes.Rows, m, cores));
                }
            }
        }
    }

    private static double[] Reduce(ChannelReduceOperation op, Tensor x, int cores)
    {
        var result = Tensor.Zeros(op.Info.SampleShapes![0][-2], 1);
        result.Fill(double.NaN);
        op.Run(x, result, cores);
        return result.ToMatrix().ToColumnMajorArray();
    }

    private static double[] Spread(ChannelBroadcastOperation op, Tensor v, int rows, int m, int cores)
    {
        var result = new double[rows * m];
        Array.Fill(result, double.NaN);
        op.Run(v, new Tensor(result, rows, m), cores);
        return result;
    }

    private static (Variable X, Variable Gamma, Variable Beta, int Channels) Operands(int[] dims, Random random)
    {
        var shape = Shape.Of(dims);
        int c = dims.Length == 2 ? dims[0] : dims[^2];
        var x = Graph.Variable("X", shape, TestData.Matrix(random, shape, r => TestData.Any(r) * 3 + 1));
        var gamma = Graph.Variable("γ", TestData.Matrix(random, new Shape(c, 1), TestData.Any));
        var beta = Graph.Variable("β", TestData.Matrix(random, new Shape(c, 1), TestData.Any));
        return (x, gamma, beta, c);
    }

    /// <summary>Batch normalisation by its definition, channel k of storage row r being r mod n_C.</summary>
    private sealed record NaiveBatchNorm(double[] Y, double[] Mean, double[] Variance, double[] XHat, double[] Gamma, int C, double Epsilon)
    {
        public (double[] Dx, double[] DGamma, double[] DBeta) Backward(double[] dy)
        {
            int n = dy.Length / C;   // values per channel
            double[] dGamma = new double[C], dBeta = new double[C], dx = new double[dy.Length];
            for (int i = 0; i < dy.Length; i++) { dGamma[i % C] += dy[i] * XHat[i]; dBeta[i % C] += dy[i]; }
            for (int i = 0; i < dy.Length; i++)
            {
                int k = i % C;
                dx[i] = Gamma[k] / Math.Sqrt(Variance[k] + Epsilon) / n * (n * dy[i] - dBeta[k] - XHat[i] * dGamma[k]);
            }
            return (dx, dGamma, dBeta);
        }
    }

    private static NaiveBatchNorm Naive(double[] x, int c, double[] gamma, double[] beta, double epsilon)
    {
        int n = x.Length / c;
        double[] mean = new double[c], variance = new double[c], xhat = new double[x.Length], y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) mean[i % c] += x[i] / n;
        for (int i = 0; i < x.Length; i++) variance[i % c] += (x[i] - mean[i % c]) * (x[i] - mean[i % c]) / n;
        for (int i = 0; i < x.Length; i++)
        {
            int k = i % c;
            xhat[i] = (x[i] - mean[k]) / Math.Sqrt(variance[k] + epsilon);
            y[i] = gamma[k] * xhat[i] + beta[k];
        }
        return new NaiveBatchNorm(y, mean, variance, xhat, gamma, c, epsilon);
    }

    private static void Close(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-10 * (1 + Math.Abs(expected[i])), $"{what}[{i}]: {actual[i]:R}, expected {expected[i]:R}");
    }
}
