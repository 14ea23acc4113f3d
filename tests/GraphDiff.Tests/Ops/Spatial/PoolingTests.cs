using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// Max and average pooling and their backward operations against <see cref="NaivePool"/> over many geometries
/// (window 1–4, stride 0–3, every padding allowed, channels 1–17 around the vector width, 0 to 3 examples),
/// split over 1 to 4 cores bit for bit at sizes around the parallel threshold, gradients (first and second order)
/// against finite differences, and the refusals of windows that do not fit.
/// </summary>
public class PoolingTests
{
    private static readonly (int H, int W)[] Images = [(1, 1), (2, 3), (5, 4), (7, 6)];
    private static readonly int[] ChannelCounts = [1, 3, 4, 5, 8, 9, 17];

    public static TheoryData<int, int> Windows()
    {
        var data = new TheoryData<int, int>();
        for (int size = 1; size <= 4; size++)
            for (int stride = 0; stride <= 3; stride++) data.Add(size, stride);
        return data;
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void KernelsMatchPlainLoopsForEveryGeometryThatFits(int size, int stride)
    {
        int checkedGeometries = 0;
        foreach (var (h, w) in Images)
            foreach (int c in ChannelCounts)
                for (int padding = 0; padding < size; padding++)
                {
                    if (h + 2 * padding < size || w + 2 * padding < size) continue;
                    var naive = new NaivePool(h, w, c, size, stride == 0 ? size : stride, padding);
                    foreach (int m in new[] { 0, 1, 3 })
                    {
                        var random = new Random(HashCode.Combine(h, w, c, size, stride, padding, m));
                        CheckKernels(naive, m, random, cores: 1);
                        CheckKernels(naive, m, random, cores: 3);
                    }
                    checkedGeometries++;
                }
        Assert.True(checkedGeometries > 20, $"only {checkedGeometries} geometries");
    }

    private static void CheckKernels(NaivePool p, int m, Random random, int cores)
    {
        double[] x = NaivePool.Distinct(p.InRows * m, random), dy = Values(p.OutRows * m, random), g = Values(p.InRows * m, random);
        var (max, avg, scatter, gather, transpose) = Operations(p);
        string at = $"{p} m={m} cores={cores}";
        Same(p.Max(x, m), Run(max, p.OutRows, m, cores, x), at + " max");
        Close(p.Average(x, m), Run(avg, p.OutRows, m, cores, x), at + " average");
        Same(p.MaxBackward(x, dy, m), Run(scatter, p.InRows, m, cores, x, dy), at + " max backward");
        Same(p.MaxGather(x, g, m), Run(gather, p.OutRows, m, cores, x, g), at + " max gather");
        Close(p.AverageBackward(dy, m), Run(transpose, p.InRows, m, cores, dy), at + " average backward");
    }

    [Theory]
    [InlineData(8, 8, 16, 2, 2, 0)]   // 1,024 elements read per example: 64 examples reach the threshold
    [InlineData(6, 6, 7, 3, 1, 1)]    // overlapping windows, scattered into the same pixels
    public void SplitsAcrossCoresGiveTheSameBitsAroundTheThreshold(int h, int w, int c, int size, int stride, int padding)
    {
        var p = new NaivePool(h, w, c, size, stride, padding);
        long perExample = (long)p.OutH * p.OutW * c * size * size;
        int atThreshold = (int)((SpatialParallel.Threshold + perExample - 1) / perExample);
        foreach (int m in new[] { atThreshold - 1, atThreshold, atThreshold + 1, 2 * atThreshold + 3 })
        {
            var random = new Random(m);
            double[] x = NaivePool.Distinct(p.InRows * m, random), dy = Values(p.OutRows * m, random);
            var (max, avg, scatter, gather, transpose) = Operations(p);
            var one = new[] { Run(max, p.OutRows, m, 1, x), Run(avg, p.OutRows, m, 1, x), Run(scatter, p.InRows, m, 1, x, dy), Run(gather, p.OutRows, m, 1, x, x), Run(transpose, p.InRows, m, 1, dy) };
            Same(p.Max(x, m), one[0], "max");
            Close(p.AverageBackward(dy, m), one[4], "average backward");
            for (int cores = 2; cores <= 4; cores++)
            {
                var split = new[] { Run(max, p.OutRows, m, cores, x), Run(avg, p.OutRows, m, cores, x), Run(scatter, p.InRows, m, cores, x, dy), Run(gather, p.OutRows, m, cores, x, x), Run(transpose, p.InRows, m, cores, dy) };
                for (int k = 0; k < one.Length; k++) Same(one[k], split[k], $"kernel {k}, m={m}, {cores} cores");
            }
        }
    }

    [Theory]
    [InlineData(5, 4, 3, 2, 0, 0)]
    [InlineData(5, 5, 2, 3, 1, 1)]
    [InlineData(4, 5, 9, 2, 3, 1)]    // stride larger than the window
    [InlineData(3, 2, 1, 3, 5, 2)]    // stride larger than the image, padding 2 of a 3×3 window
    public void GradientsAgreeWithFiniteDifferencesToSecondOrder(int h, int w, int c, int size, int stride, int padding)
    {
        foreach (var pool in new Func<Node, Node>[] { x => Op.MaxPool2D(x, size, stride, padding), x => Op.AvgPool2D(x, size, stride, padding) })
        {
            var random = new Random(h * 100 + c);
            var shape = Shape.Of(h, w, c, 2);
            var x = Graph.Variable("X", shape, DenseMatrix.OfColumnMajor(shape.Rows, 2, NaivePool.Distinct(shape.Rows * 2, random)));
            var y = pool(x);
            GradientAssert.Agrees(GradientAssert.WeightedSum(y, 7), [x], y);
            // The backward graph differentiated again, in its upstream gradient G (and in X, where it is flat).
            var upstream = Graph.Variable("G", y.Shape, TestData.Matrix(random, y.Shape, TestData.Any));
            var dx = Gradients.Of(y, upstream, [x])[0];
            GradientAssert.Agrees(GradientAssert.WeightedSum(dx, 8), [upstream, x], dx);
        }
    }

    [Fact]
    public void WindowsThatDoNotFitAreRefusedNamingTheOperandAndWhatFits()
    {
        var x = Graph.Input("A1", Shape.Of(3, 4, 2, Shape.Batch));
        var tooBig = Assert.Throws<ShapeMismatchException>(() => Op.MaxPool2D(x, 5));
        Assert.Contains("MaxPool2D(A1): A1 is 3×4×2×m", tooBig.Message);
        Assert.Contains("use a window of at most 3, or pad by at least 1", tooBig.Message);
        var wholePadding = Assert.Throws<ArgumentOutOfRangeException>(() => Op.AvgPool2D(x, 2, padding: 2));
        Assert.Contains("AvgPool2D(A1): the padding (2) must be less than the window size (2)", wholePadding.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Op.MaxPool2D(x, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Op.MaxPool2D(x, 2, stride: -1));
        var matrix = Assert.Throws<ShapeMismatchException>(() => Op.MaxPool2D(Graph.Input("X", 12, Shape.Batch), 2));
        Assert.Contains("rank-4", matrix.Message);
        // A stride beyond the image still gives one window per axis.
        Assert.Equal(Shape.Of(1, 1, 2, Shape.Batch), Op.MaxPool2D(x, 3, stride: 7).Shape);
    }

    /// <summary>
    /// Ties (values from a set of five, so most windows hold several maxima) in double and in float32, over windows
    /// that tile the image (each pixel written once, nothing cleared), leave a ragged edge, skip pixels (stride past
    /// the window), overlap, or are clipped by padding, with channels around both vector widths: the maximum, the
    /// gradient given to each window's first maximum and nothing to the others, and the gather, as plain loops give them.
    /// </summary>
    [Theory]
    [InlineData(4, 4, 2, 2, 0)]   // tiles the image: the disjoint scatter writes every pixel once
    [InlineData(5, 7, 2, 2, 0)]   // a ragged last row and column no window reaches
    [InlineData(6, 6, 2, 3, 0)]   // stride past the window: skipped pixels
    [InlineData(6, 6, 3, 3, 1)]   // padding clips the edge windows
    [InlineData(6, 5, 3, 2, 0)]   // overlapping windows: the general scatter
    public void TiesGoToTheFirstMaximumInDoubleAndFloat(int h, int w, int size, int stride, int padding)
    {
        foreach (int c in new[] { 1, 3, 4, 7, 8, 12, 16, 17, 24 })
        {
            var p = new NaivePool(h, w, c, size, stride, padding);
            var random = new Random(HashCode.Combine(h, w, c, size, stride));
            const int m = 3;
            double[] x = [.. Enumerable.Range(0, p.InRows * m).Select(_ => (double)random.Next(-2, 3))];
            double[] dy = [.. Enumerable.Range(0, p.OutRows * m).Select(_ => (float)(random.NextDouble() * 2 - 1) * 1.0)];
            var (max, _, scatter, gather, _) = Operations(p);
            string at = $"{p} c={c}";
            Same(p.Max(x, m), Run(max, p.OutRows, m, 2, x), at + " max");
            Same(p.MaxBackward(x, dy, m), Run(scatter, p.InRows, m, 2, x, dy), at + " max backward");
            Same(p.MaxGather(x, Enumerable.Range(0, p.InRows * m).Select(i => (double)i).ToArray(), m),
                Run(gather, p.OutRows, m, 2, x, [.. Enumerable.Range(0, p.InRows * m).Select(i => (double)i)]), at + " max gather");
            Same(p.Max(x, m), RunFloat(max, p.OutRows, m, x), at + " float max");
            // Exact where windows do not overlap (one dy per pixel); overlapping ones add their dy in float.
            var floatBackward = RunFloat(scatter, p.InRows, m, x, dy);
            if (stride >= size) Same(p.MaxBackward(x, dy, m), floatBackward, at + " float max backward");
            else Within(p.MaxBackward(x, dy, m), floatBackward, 1e-6, at + " float max backward");
        }
    }

    /// <summary>The float32 kernel on the operands rounded to float (exact here: small integers and floats), widened back.</summary>
    private static double[] RunFloat(PoolOperation operation, int rows, int m, params double[][] operands)
    {
        var inputs = operands.Select((o, k) => new Tensor<float>([.. o.Select(v => (float)v)], operation.Info.SampleShapes![k].Rows, m)).ToArray();
        var result = new float[rows * m];
        Array.Fill(result, float.NaN);
        operation.Run(inputs[0], inputs.Length > 1 ? inputs[1] : default, new Tensor<float>(result, rows, m), 2);
        return [.. result.Select(v => (double)v)];
    }

    [Fact]
    public void PoolsPrintTheirWindowAndGoThroughAPlanAsTheKernelsDo()
    {
        var a = Graph.Input("A1", Shape.Of(4, 4, 3, Shape.Batch));
        var max = Op.MaxPool2D(a, 2);
        Assert.Equal("MaxPool2D(A1, 2×2, stride 2)", max.Operation.Format(max, [new FormattedOperand("A1", FormattedOperand.Atom)]));
        var avg = Op.AvgPool2D(a, 3, stride: 1, padding: 1);
        Assert.Equal(Shape.Of(4, 4, 3, Shape.Batch), avg.Shape);
        var p = new NaivePool(4, 4, 3, 3, 1, 1);
        var x = NaivePool.Distinct(p.InRows * 5, new Random(1));
        var feed = new Feed { { (Input)a, DenseMatrix.OfColumnMajor(p.InRows, 5, x) } };
        Close(p.Average(x, 5), avg.Evaluate(feed).ToColumnMajorArray(), "average through a plan");
        Same(new NaivePool(4, 4, 3, 2, 2, 0).Max(x, 5), max.Evaluate(feed).ToColumnMajorArray(), "max through a plan");
    }

    private static (PoolOperation Max, PoolOperation Avg, PoolOperation Scatter, PoolOperation Gather, PoolOperation Transpose) Operations(NaivePool p)
    {
        var g = new PoolGeometry(p.H, p.W, p.C, p.Size, p.Stride, p.Padding);
        return (new MaxPoolOperation(g, 1), new AvgPoolOperation(g), new MaxPoolScatterOperation(g), new MaxPoolOperation(g, 2), new AvgPoolTransposeOperation(g));
    }

    private static double[] Run(PoolOperation operation, int rows, int m, int cores, params double[][] operands)
    {
        // Each operand's rows are those of the operation's declared sample shapes (an image, or a pooled one).
        var inputs = operands.Select((o, k) => new Tensor(o, operation.Info.SampleShapes![k].Rows, m)).ToArray();
        var result = new double[rows * m];
        // Stale values in the result: every kernel must overwrite all of it.
        Array.Fill(result, double.NaN);
        operation.Run(inputs, new Tensor(result, rows, m), cores);
        return result;
    }

    private static double[] Values(int n, Random random) => [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1)];

    private static void Same(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R}");
    }

    private static void Within(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i]))))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R}");
    }

    private static void Close(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= 1e-13 * (1 + Math.Abs(expected[i]))))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R}");
    }
}
