using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests.Spatial;

/// <summary>
/// Op.Conv2D and its gradients against seven plain loops (<see cref="ConvCase"/>) over many geometries (strides,
/// paddings larger than the kernel, dilations, 1×1 kernels, kernels larger than the unpadded input, 1 to 17 channels,
/// m = 0 and 1, sizes around every block and thread threshold), against finite differences to first and second
/// order, and on one thread against many bit for bit.
/// </summary>
public class Conv2DTests
{
    public static TheoryData<ConvCase> Geometries()
    {
        var cases = new TheoryData<ConvCase>
        {
            new(5, 5, 2, 3, 3, 4, 1, 0, 1, 3), new(5, 5, 2, 3, 3, 4, 2, 1, 1, 1), new(1, 1, 1, 1, 1, 1, 1, 0, 1, 1),
            new(4, 3, 3, 1, 1, 5, 1, 0, 1, 2), new(2, 2, 1, 3, 3, 2, 1, 3, 1, 2), new(3, 4, 2, 5, 4, 3, 3, 2, 1, 2),
            new(6, 5, 2, 2, 3, 3, 1, 2, 2, 2), new(7, 7, 17, 3, 3, 17, 2, 1, 2, 1), new(5, 5, 2, 3, 3, 4, 1, 1, 1, 0),
            new(3, 3, 1, 2, 2, 1, 3, 0, 1, 4), new(28, 28, 1, 5, 5, 16, 1, 2, 1, 2),
            // Around the blocks: 72-long patches and 8 filters aim at 910 positions per block (ConvBlocks.For).
            new(30, 30, 8, 3, 3, 8, 1, 1, 1, 3), new(31, 31, 8, 3, 3, 8, 1, 1, 1, 2), new(15, 15, 8, 3, 3, 8, 1, 1, 1, 9),
            new(15, 15, 8, 3, 3, 8, 1, 1, 1, 33),
        };
        var random = new Random(20);
        while (cases.Count < 60)
        {
            var c = new ConvCase(random.Next(1, 9), random.Next(1, 9), random.Next(1, 5), random.Next(1, 5), random.Next(1, 5), random.Next(1, 6),
                random.Next(1, 4), random.Next(0, 4), random.Next(1, 3), random.Next(0, 4));
            if (c.Valid) cases.Add(c);
        }
        return cases;
    }

    [Theory, MemberData(nameof(Geometries))]
    public void TheForwardAndTheThreeGradientsAreTheLoops(ConvCase c)
    {
        var random = new Random(c.GetHashCode());
        var (xValue, kernelValue, biasValue, gValue) = Values(c, random);
        var x = Graph.Input("x", Shape.Of(c.H, c.W, c.C, Shape.Batch));
        var kernel = Graph.Variable("W", c.Kernel, kernelValue);
        var bias = Graph.Variable("b", new Shape(c.K, 1), biasValue);
        var g = Graph.Input("G", new Shape(c.OH * c.OW * c.K, Shape.Batch));
        var z = Op.Conv2D(x, kernel, bias, c.Stride, c.Padding, c.Dilation);
        Assert.Equal(Shape.Of(c.OH, c.OW, c.K, Shape.Batch), z.Shape);
        var feed = new Feed { [x] = xValue, [g] = gValue };
        Close(c.Forward(xValue, kernelValue, biasValue), z.Evaluate(feed), c, "forward");
        var gradients = Gradients.Of(Op.Sum(Op.Flatten(z) * g), x, kernel, bias);
        Close(c.InputGradient(gValue, kernelValue), gradients[x].Evaluate(feed), c, "∂J/∂x");
        Close(c.KernelGradient(xValue, gValue), gradients[kernel].Evaluate(feed), c, "∂J/∂W");
        Close(c.BiasGradient(gValue), gradients[bias].Evaluate(feed), c, "∂J/∂b");
    }

    [Theory]
    [InlineData(5, 5, 2, 3, 3, 4, 1, 0, 1)]
    [InlineData(4, 5, 3, 2, 3, 2, 2, 1, 1)]
    [InlineData(5, 4, 1, 2, 2, 3, 1, 3, 2)]
    [InlineData(2, 2, 2, 3, 3, 1, 3, 2, 1)]
    public void TheGradientsAgreeWithFiniteDifferences(int h, int w, int ch, int fh, int fw, int k, int s, int p, int d)
    {
        var c = new ConvCase(h, w, ch, fh, fw, k, s, p, d, 2);
        var random = new Random(7);
        var x = Var("x", random, c.X);
        var kernel = Var("W", random, c.Kernel);
        var bias = Var("b", random, new Shape(k, 1));
        var z = Op.Conv2D(x, kernel, bias, s, p, d);
        GradientAssert.Agrees(Weighted(Op.Tanh(z), 1), [x, kernel, bias], c);
    }

    [Fact]
    public void SecondDerivativesAgreeWithFiniteDifferences()
    {
        var c = new ConvCase(3, 4, 2, 2, 2, 2, 1, 1, 1, 2);
        var random = new Random(8);
        var x = Var("x", random, c.X);
        var kernel = Var("W", random, c.Kernel);
        var bias = Var("b", random, new Shape(c.K, 1));
        var z = Op.Conv2D(x, kernel, bias, c.Stride, c.Padding, c.Dilation);
        var gradients = Gradients.Of(Weighted(z * z, 2), x, kernel, bias);
        var h = Weighted(gradients[x], 3) + Weighted(gradients[kernel], 4) + Weighted(gradients[bias], 5);
        GradientAssert.Agrees(h, [x, kernel, bias], c);
    }

    [Theory]
    [InlineData(30, 30, 2)]   // 1,036,800 multiply-adds: one thread
    [InlineData(30, 30, 3)]   // past ConvBlocks.ParallelWork: threads
    [InlineData(31, 31, 5)]   // two blocks per example
    [InlineData(15, 15, 33)]  // four examples per block, more groups than the kernel gradient's chunks
    [InlineData(15, 15, 36)]
    [InlineData(28, 28, 10, 1, 16)] // one input channel, threads: the direct kernel (ConvDirect), two groups of two vectors
    [InlineData(9, 7, 100, 1, 20)]  // five vectors: two groups of two, then one alone
    [InlineData(9, 7, 160, 1, 12)]  // three vectors: two by four positions (four taps at a time), then one
    [InlineData(9, 7, 100, 1, 8)]   // two vectors: four positions at a time and a remainder of three
    [InlineData(6, 5, 100, 1, 4)]   // one vector: four positions at a time and a remainder of one
    public void ManyThreadsGiveTheBitsOfOne(int h, int w, int m, int channels = 8, int filters = 8)
    {
        var c = new ConvCase(h, w, channels, 3, 3, filters, 1, 1, 1, m);
        var random = new Random(9);
        var (xValue, kernelValue, biasValue, gValue) = Values(c, random);
        Matrix<double>[] Run(int threads)
        {
            int before = ConvBlocks.MaxThreads;
            ConvBlocks.MaxThreads = threads;
            try
            {
                var x = Graph.Variable("x", c.X, xValue);
                var kernel = Graph.Variable("W", c.Kernel, kernelValue);
                var bias = Graph.Variable("b", new Shape(c.K, 1), biasValue);
                var z = Op.Conv2D(x, kernel, bias, 1, 1);
                var gradients = Gradients.Of(Op.Sum(Op.Flatten(z) * Graph.Constant(gValue, "G")), x, kernel, bias);
                return [z.Evaluate(), gradients[x].Evaluate(), gradients[kernel].Evaluate(), gradients[bias].Evaluate()];
            }
            finally { ConvBlocks.MaxThreads = before; }
        }
        var one = Run(1);
        var many = Run(4);
        for (int k = 0; k < one.Length; k++) Assert.True(one[k].Equals(many[k]), $"result {k} differs between 1 and 4 threads");
        Close(c.Forward(xValue, kernelValue, biasValue), one[0], c, "forward");
        Close(c.KernelGradient(xValue, gValue), one[2], c, "∂J/∂W");
    }

    /// <summary>
    /// The same in float32 plans, against the double loops on the same float values within float rounding of the sums:
    /// one input channel with one to five vectors of filters (ConvDirect's groups of two vectors and a last one alone),
    /// the in-place tiles, and a geometry no float kernel takes (the converting fallback).
    /// </summary>
    [Theory]
    [InlineData(28, 28, 10, 1, 16)]
    [InlineData(9, 7, 100, 1, 32)]
    [InlineData(9, 7, 160, 1, 40)]
    [InlineData(9, 7, 100, 1, 8)]   // one float vector
    [InlineData(9, 7, 100, 1, 24)]  // three: two and one
    [InlineData(15, 15, 33, 16, 32)]
    [InlineData(30, 30, 3, 8, 8)]
    public void FloatPlansGiveTheLoopsWithinRoundingOnAnyNumberOfThreads(int h, int w, int m, int channels, int filters)
    {
        var c = new ConvCase(h, w, channels, 3, 3, filters, 1, 1, 1, m);
        var (xValue, kernelValue, biasValue, gValue) = Values(c, new Random(9));
        foreach (var v in new[] { xValue, kernelValue, biasValue, gValue }) v.MapInplace(e => (float)e);
        Matrix<double>[] Run(int threads)
        {
            int before = ConvBlocks.MaxThreads;
            ConvBlocks.MaxThreads = threads;
            try
            {
                var x = Graph.Input("x", Shape.Of(c.H, c.W, c.C, Shape.Batch));
                var kernel = Graph.Variable("W", c.Kernel, kernelValue);
                var bias = Graph.Variable("b", new Shape(c.K, 1), biasValue);
                var g = Graph.Input("G", new Shape(c.OH * c.OW * c.K, Shape.Batch));
                var z = Op.Conv2D(x, kernel, bias, 1, 1);
                var gradients = Gradients.Of(Op.Sum(Op.Flatten(z) * g), x, kernel, bias);
                var run = new EvaluationPlan([z, gradients[x], gradients[kernel], gradients[bias]], Precision.Single).Run(new Feed { [x] = xValue, [g] = gValue });
                return [run[z], run[gradients[x]], run[gradients[kernel]], run[gradients[bias]]];
            }
            finally { ConvBlocks.MaxThreads = before; }
        }
        var one = Run(1);
        var many = Run(4);
        for (int k = 0; k < one.Length; k++) Assert.True(one[k].Equals(many[k]), $"float result {k} differs between 1 and 4 threads");
        AssertWithin(c.Forward(xValue, kernelValue, biasValue), one[0], 1e-6 * (9 * channels + 1), "forward");
        AssertWithin(c.InputGradient(gValue, kernelValue), one[1], 1e-6 * 9 * filters, "∂J/∂x");
        AssertWithin(c.KernelGradient(xValue, gValue), one[2], 1e-6 * c.OH * c.OW * m, "∂J/∂W");
    }

    private static void AssertWithin(Matrix<double> expected, Matrix<double> actual, double tolerance, string what)
    {
        double worst = (expected - actual).Enumerate().Max(Math.Abs);
        Assert.True(worst <= tolerance, $"{what}: off by {worst:G3} (tolerance {tolerance:G3})");
    }

    private static (Matrix<double> X, Matrix<double> Kernel, Matrix<double> Bias, Matrix<double> G) Values(ConvCase c, Random random) =>
        (TestData.Matrix(random, new Shape(c.H * c.W * c.C, Math.Max(c.M, 1)), TestData.Unit).SubMatrix(0, c.H * c.W * c.C, 0, c.M),
         TestData.Matrix(random, c.Kernel, TestData.Unit), TestData.Matrix(random, new Shape(c.K, 1), TestData.Unit),
         TestData.Matrix(random, new Shape(c.OH * c.OW * c.K, Math.Max(c.M, 1)), TestData.Unit).SubMatrix(0, c.OH * c.OW * c.K, 0, c.M));

    private static Variable Var(string name, Random random, Shape shape) => Graph.Variable(name, shape, TestData.Matrix(random, shape, TestData.Unit));

    /// <summary>Σ C∘f with random weights C, for f of any rank.</summary>
    private static Node Weighted(Node f, int seed) => GradientAssert.WeightedSum(Op.Flatten(f), seed);

    private static void Close(Matrix<double> expected, Matrix<double> actual, ConvCase c, string what)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        double worst = expected.ColumnCount == 0 ? 0 : (expected - actual).Enumerate().Max(Math.Abs);
        Assert.True(worst < 1e-11, $"{what} of {c}: off by {worst}");
    }
}
