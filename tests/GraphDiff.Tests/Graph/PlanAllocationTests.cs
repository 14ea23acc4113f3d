using GraphDiff.Nn;
using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// A warm plan run directly (no trainer) allocates nothing on any thread, in float64 and float32: a deep network at
/// sizes that take the threaded GEMM and the parallel elementwise kernels, a ConvNet (the one-channel, in-place and
/// im2col convolutions, pooling, batch normalisation, all past their parallel thresholds), and a scalar graph run
/// without a feed. Measured across all threads (the kernel workers included), so these tests run alone.
/// </summary>
[Collection(nameof(PlanAllocationTests))]
[CollectionDefinition(nameof(PlanAllocationTests), DisableParallelization = true)]
public class PlanAllocationTests
{
    private const int Runs = 6;

    public static TheoryData<string, Precision> Graphs() => new()
    {
        { "deep", Precision.Double }, { "deep", Precision.Single },
        { "convnet", Precision.Double }, { "convnet", Precision.Single },
        { "scalar", Precision.Double }, { "scalar", Precision.Single },
    };

    [Theory, MemberData(nameof(Graphs))]
    public void AWarmPlanAllocatesNothingOnAnyThread(string graph, Precision precision)
    {
        var (plan, feed) = graph switch
        {
            "deep" => Deep(precision),
            "convnet" => ConvNet(precision),
            _ => Scalar(precision),
        };
        double first = Cost(plan, feed);
        for (int k = 0; k < 3; k++) plan.Run(feed);   // warm: the lay-out, the workers' and the pool's buffers
        var (thread, workers, all) = Allocations.Quietest(() => { for (int k = 0; k < Runs; k++) plan.Run(feed); });
        Assert.True(thread == 0 && workers == 0,
            $"{Runs} warm runs of the {graph} plan ({precision}) allocated {thread:N0} bytes on the calling thread, {workers:N0} on the kernel workers ({all:N0} in the whole process)");
        // Still the same numbers: nothing was skipped to get there.
        Assert.Equal(first, Cost(plan, feed));
    }

    /// <summary>The measure the test above relies on sees what a part allocates, on whichever thread it runs.</summary>
    [Fact]
    public void TheMeasureSeesWhatEveryPartAllocatesWhicheverThreadRunsIt()
    {
        const int Parts = 64, Bytes = 1000;
        int caller = Environment.CurrentManagedThreadId, elsewhere = 0;
        // One window: the parts counted as run elsewhere are those of the window measured (the quietest of several
        // could be one whose parts all ran on the caller, another job holding the workers).
        var (thread, workers, _) = Allocations.Quietest(() =>
        {
            TensorMath.ForEachPart(Parts, p =>
            {
                GC.KeepAlive(new byte[Bytes]);
                Thread.SpinWait(2000);
                if (Environment.CurrentManagedThreadId != caller) Interlocked.Increment(ref elsewhere);
            });
        }, windows: 1);
        Assert.True(thread + workers >= Parts * Bytes, $"{thread:N0} bytes on the caller and {workers:N0} on the workers for {Parts} parts of {Bytes} bytes");
        // Parts that ran on the workers have their bytes counted there.
        if (Environment.ProcessorCount > 1 && elsewhere > 0) Assert.True(workers >= Bytes, $"{elsewhere} parts ran on workers, yet they show {workers:N0} bytes");
    }

    /// <summary>A job of the allocation-free form allocates nothing, on two parts or many, on the caller or the workers.</summary>
    [Fact]
    public void AStateJobAllocatesNothing()
    {
        var sums = new double[64];
        for (int k = 0; k < 3; k++) Jobs(sums);
        var (thread, workers, all) = Allocations.Quietest(() => Jobs(sums));
        Assert.True(thread == 0 && workers == 0, $"100 jobs allocated {thread:N0} bytes on the calling thread, {workers:N0} on the workers ({all:N0} in the process)");

        static void Jobs(double[] sums)
        {
            for (int job = 0; job < 100; job++)
                TensorMath.ForEachPart(2 + job % 40, (sums, job), static (s, p) => { for (int i = 0; i < 500; i++) s.sums[p] += Math.Sqrt(i + s.job); });
        }
    }

    private static double Cost(EvaluationPlan plan, Feed feed) => plan.Run(feed).Scalar(plan.Outputs[0]);

    /// <summary>256-128-64-1, m = 1024: products of 33 M multiply-adds (threaded), activations of 131,072 elements (split).</summary>
    private static (EvaluationPlan, Feed) Deep(Precision precision)
    {
        var random = new Random(3);
        int[] layers = [256, 128, 64, 1];
        const int m = 1024;
        var x = Graph.Input("X", layers[0]);
        var y = Graph.Input("Y", 1);
        Node a = x;
        var parameters = new List<Variable>();
        for (int l = 1; l < layers.Length; l++)
        {
            var w = Graph.Variable($"W{l}", TestData.Matrix(random, new Shape(layers[l], layers[l - 1]), r => TestData.Unit(r) * 0.1));
            var b = Graph.Variable($"b{l}", new DenseMatrix(layers[l], 1));
            parameters.Add(w); parameters.Add(b);
            var z = Op.MatMul(w, a) + b;
            a = l < layers.Length - 1 ? (l == 1 ? Op.Tanh(z) : Op.ReLU(z)) : Op.Sigmoid(z);
        }
        var cost = Op.BinaryCrossEntropy(a, y);
        var plan = new EvaluationPlan([cost, .. Gradients.Of(cost, parameters)], precision);
        return (plan, Fed(precision, (x, TestData.Matrix(random, new Shape(layers[0], m), TestData.Unit)), (y, DenseMatrix.Create(1, m, (_, j) => j % 2))));
    }

    /// <summary>
    /// A one-channel convolution (the direct kernel), a 16 → 32 one (register tiles), a 32 → 6 one (im2col and GEMM:
    /// 6 channels are not whole tiles), max and average pooling, batch normalisation, a dense layer, softmax
    /// cross-entropy; m = 16.
    /// </summary>
    private static (EvaluationPlan, Feed) ConvNet(Precision precision)
    {
        var random = new Random(5);
        const int m = 16;
        var images = Graph.Input("X", Shape.Of(28, 28, 1, Shape.Batch));
        var labels = Graph.Input("Y", 10);
        Variable P(string name, Shape shape, double scale) => Graph.Variable(name, shape, TestData.Matrix(random, new Shape(shape.Rows, shape.Columns), r => TestData.Unit(r) * scale));
        var w1 = P("W1", Shape.Of(5, 5, 1, 16), 0.3); var b1 = P("b1", new Shape(16, 1), 0.1);
        var w2 = P("W2", Shape.Of(5, 5, 16, 32), 0.07); var b2 = P("b2", new Shape(32, 1), 0.1);
        var w3 = P("W3", Shape.Of(3, 3, 32, 6), 0.08);
        var gamma = P("gamma", new Shape(6, 1), 1); var beta = P("beta", new Shape(6, 1), 0.1);
        var w4 = P("W4", new Shape(10, 7 * 7 * 6), 0.05); var b4 = P("b4", new Shape(10, 1), 0.1);
        var p1 = Op.MaxPool2D(Op.ReLU(Op.Conv2D(images, w1, b1, padding: 2)), 2);
        var p2 = Op.AvgPool2D(Op.ReLU(Op.Conv2D(p1, w2, b2, padding: 2)), 2);
        var c3 = Op.BatchNorm(Op.Conv2D(p2, w3, padding: 1), gamma, beta);
        var cost = Op.SoftmaxCrossEntropy(Op.MatMul(w4, Op.Flatten(Op.ReLU(c3))) + b4, labels);
        var plan = new EvaluationPlan([cost, .. Gradients.Of(cost, [w1, b1, w2, b2, w3, gamma, beta, w4, b4])], precision);
        return (plan, Fed(precision, (images, TestData.Matrix(random, new Shape(784, m), TestData.Unit)), (labels, DenseMatrix.Create(10, m, (i, j) => i == j % 10 ? 1 : 0))));
    }

    /// <summary>A chain of scalar operations on variables, run without a feed.</summary>
    private static (EvaluationPlan, Feed) Scalar(Precision precision)
    {
        var a = Graph.Variable("a", 0.5);
        var b = Graph.Variable("b", -1.5);
        Node y = a;
        for (int k = 0; k < 20; k++) y = Op.Tanh(y * b + a) + Op.Exp(y * 0.1);
        var plan = new EvaluationPlan([y, .. Gradients.Of(y, a, b)], precision);
        return (plan, null!);
    }

    private static Feed Fed(Precision precision, params (Input Input, Matrix<double> Value)[] values)
    {
        var feed = new Feed();
        foreach (var (input, value) in values)
            if (precision == Precision.Single) feed.Add(input, Dataset.ToSingle(value));
            else feed.Add(input, value);
        return feed;
    }
}
