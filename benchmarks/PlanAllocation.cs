using System.Globalization;
using GraphDiff.Kernels;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Benchmarks;

/// <summary>
/// Managed bytes allocated per call of <c>plan.Run(feed)</c> called directly (no trainer), warm, on every thread
/// (the kernel workers included): the course's deep network (784-128-64-1, m = 8000) and the ConvNet (m = 64), in
/// float64 and float32, forward and backward.
/// </summary>
internal static class PlanAllocation
{
    public static void Run(Report report)
    {
        foreach (var precision in new[] { Precision.Double, Precision.Single })
        {
            Measure(report, "deep 784-128-64-1, m = 8000", Deep(precision), runs: 20);
            Measure(report, "ConvNet, m = 64", ConvNet(precision), runs: 20);
        }
    }

    private static void Measure(Report report, string what, (EvaluationPlan Plan, Feed Feed) step, int runs)
    {
        var (plan, feed) = step;
        for (int i = 0; i < 30; i++) plan.Run(feed);   // warm: lay-outs, the JIT's tiers, the workers' buffers
        var samples = new (double Thread, double Workers, double All)[3];
        for (int k = 0; k < samples.Length; k++)
        {
            long thread = GC.GetAllocatedBytesForCurrentThread(), workers = KernelThreads.WorkersAllocatedBytes, all = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < runs; i++) plan.Run(feed);
            samples[k] = ((double)(GC.GetAllocatedBytesForCurrentThread() - thread) / runs, (double)(KernelThreads.WorkersAllocatedBytes - workers) / runs,
                (double)(GC.GetTotalAllocatedBytes(precise: true) - all) / runs);
        }
        var median = samples.OrderBy(s => s.All).ElementAt(1);
        string name = $"{what}, {(plan.Precision == Precision.Single ? "float32" : "float64")}";
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"allocated per plan.Run, {name}: {median.All:F1} bytes on all threads ({median.Thread:F1} on the caller's, {median.Workers:F1} on the kernel workers; median of {samples.Length} × {runs} runs)"));
        report.Record($"plan.Run allocation {name}", 0, 0, median.All, 0);
    }

    private static (EvaluationPlan, Feed) Deep(Precision precision)
    {
        var random = new Random(3);
        int[] layers = [784, 128, 64, 1];
        const int m = 8000;
        var x = Graph.Input("X", layers[0]);
        var y = Graph.Input("Y", 1);
        Node a = x;
        var parameters = new List<Variable>();
        for (int l = 1; l < layers.Length; l++)
        {
            var w = Graph.Variable($"W{l}", DenseMatrix.Create(layers[l], layers[l - 1], (_, _) => (random.NextDouble() - 0.5) * 0.1));
            var b = Graph.Variable($"b{l}", new DenseMatrix(layers[l], 1));
            parameters.Add(w); parameters.Add(b);
            var z = Op.MatMul(w, a) + b;
            a = l < layers.Length - 1 ? Op.ReLU(z) : Op.Sigmoid(z);
        }
        var cost = Op.BinaryCrossEntropy(a, y);
        var plan = new EvaluationPlan([cost, .. Gradients.Of(cost, parameters)], precision);
        Matrix<double> xs = DenseMatrix.Create(layers[0], m, (_, _) => random.NextDouble()), ys = DenseMatrix.Create(1, m, (_, j) => j % 2);
        return (plan, Fed(precision, (x, xs), (y, ys)));
    }

    private static (EvaluationPlan, Feed) ConvNet(Precision precision)
    {
        var random = new Random(5);
        const int m = 64;
        var images = Graph.Input("X", Shape.Of(28, 28, 1, Shape.Batch));
        var labels = Graph.Input("Y", 10);
        Variable P(string name, Shape shape) => Graph.Variable(name, shape, DenseMatrix.Create(shape.Rows, shape.Columns, (_, _) => (random.NextDouble() - 0.5) * 0.1));
        var w1 = P("W1", Shape.Of(5, 5, 1, 16)); var b1 = P("b1", new Shape(16, 1));
        var w2 = P("W2", Shape.Of(5, 5, 16, 32)); var b2 = P("b2", new Shape(32, 1));
        var w3 = P("W3", new Shape(128, 7 * 7 * 32)); var b3 = P("b3", new Shape(128, 1));
        var w4 = P("W4", new Shape(10, 128)); var b4 = P("b4", new Shape(10, 1));
        var p1 = Op.MaxPool2D(Op.ReLU(Op.Conv2D(images, w1, b1, padding: 2)), 2);
        var p2 = Op.MaxPool2D(Op.ReLU(Op.Conv2D(p1, w2, b2, padding: 2)), 2);
        var a3 = Op.ReLU(Op.MatMul(w3, Op.Flatten(p2)) + b3);
        var cost = Op.SoftmaxCrossEntropy(Op.MatMul(w4, a3) + b4, labels);
        var plan = new EvaluationPlan([cost, .. Gradients.Of(cost, [w1, b1, w2, b2, w3, b3, w4, b4])], precision);
        Matrix<double> xs = DenseMatrix.Create(784, m, (_, _) => random.NextDouble()), ys = DenseMatrix.Create(10, m, (i, j) => i == j % 10 ? 1 : 0);
        return (plan, Fed(precision, (images, xs), (labels, ys)));
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
