using System.Globalization;
using System.Numerics.Tensors;
using GraphDiff.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Benchmarks;

/// <summary>
/// One full-batch training step (forward, backward, update) of the course's deep network
/// [LINEAR→RELU]×2 → LINEAR→SIGMOID with layers 784-128-64-1 on m = 8000 examples, three ways:
/// the course's hand-written L_model_forward / L_model_backward on MathNet alone; the same hand-written code
/// on GraphDiff's kernels; and GraphDiff's graph (BinaryCrossEntropy, reverse mode, an evaluation plan).
/// </summary>
internal sealed class DeepNetStep
{
    private static readonly int[] Layers = [784, 128, 64, 1];
    private const int M = 8000;
    private const double LearningRate = 0.01;

    private readonly Matrix<double> x, y;
    private readonly Matrix<double>[] w, b;

    public DeepNetStep()
    {
        var random = new Random(3);
        var uniform = new MathNet.Numerics.Distributions.ContinuousUniform(0, 1, random);
        x = DenseMatrix.CreateRandom(Layers[0], M, uniform);
        y = DenseMatrix.Create(1, M, (_, j) => j % 2);
        w = new Matrix<double>[Layers.Length];
        b = new Matrix<double>[Layers.Length];
        for (int l = 1; l < Layers.Length; l++)
        {
            var normal = new MathNet.Numerics.Distributions.Normal(0, Math.Sqrt(2.0 / Layers[l - 1]), random);
            w[l] = DenseMatrix.CreateRandom(Layers[l], Layers[l - 1], normal);
            b[l] = new DenseMatrix(Layers[l], 1);
        }
    }

    public void Run(Report report)
    {
        var mathNet = new MathNetBackprop(this);
        var kernels = new KernelBackprop(this);
        var graph = new GraphStep(this);
        double tMathNet = Timing.BestSeconds(mathNet.Step, budgetSeconds: 2, maxRuns: 3, minRuns: 2);
        double tKernels = Timing.BestSeconds(kernels.Step, budgetSeconds: 1);
        double tGraph = Timing.BestSeconds(graph.Step, budgetSeconds: 1);
        report.Line($"{"deep-net step 784-128-64-1, m=8000",-40} {"time",9} {"vs MathNet",11}");
        report.Line(string.Create(CultureInfo.InvariantCulture, $"{"hand-written backprop, MathNet only",-40} {tMathNet * 1e3,7:F1}ms {1.0,10:F1}×"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"{"hand-written backprop, GraphDiff kernels",-40} {tKernels * 1e3,7:F1}ms {tMathNet / tKernels,10:F1}×"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"{"GraphDiff graph (reverse mode)",-40} {tGraph * 1e3,7:F1}ms {tMathNet / tGraph,10:F1}×"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"graph overhead over hand-written code on the same kernels: {tGraph / tKernels:F2}×"));
        report.Record("deep-net step vs MathNet", 0, 0, tMathNet / tGraph, 0);
        report.Record("deep-net graph overhead", 0, 0, tGraph / tKernels, 0);
    }

    /// <summary>The course's L_model_forward / L_model_backward written with MathNet operations.</summary>
    private sealed class MathNetBackprop(DeepNetStep net)
    {
        public void Step()
        {
            int layers = Layers.Length - 1;
            var ones = DenseMatrix.Create(1, M, 1.0);
            var a = new Matrix<double>[layers + 1];
            var z = new Matrix<double>[layers + 1];
            a[0] = net.x;
            for (int l = 1; l <= layers; l++)
            {
                z[l] = net.w[l] * a[l - 1] + net.b[l] * ones;
                a[l] = l < layers ? z[l].Map(v => Math.Max(v, 0)) : z[l].Map(v => 1 / (1 + Math.Exp(-v)));
            }
            var dz = a[layers] - net.y; // sigmoid + cross-entropy: dZ[L] = A[L] − Y
            for (int l = layers; l >= 1; l--)
            {
                var dw = dz.TransposeAndMultiply(a[l - 1]) / M;
                var db = dz.RowSums().ToColumnMatrix() / M;
                if (l > 1) dz = net.w[l].TransposeThisAndMultiply(dz).PointwiseMultiply(z[l - 1].Map(v => v > 0 ? 1.0 : 0.0));
                net.w[l] = net.w[l] - LearningRate * dw;
                net.b[l] = net.b[l] - LearningRate * db;
            }
        }
    }

    /// <summary>The same hand-written backprop on GraphDiff's GEMM and vectorised elementwise kernels, into preallocated buffers.</summary>
    private sealed class KernelBackprop
    {
        private readonly Matrix<double> x, y;
        private readonly Matrix<double>[] w, b, z, a, dz, dw, da;
        private readonly double[] db;

        public KernelBackprop(DeepNetStep net)
        {
            int L = Layers.Length;
            x = net.x; y = net.y;
            w = net.w.Select(m => m?.Clone()!).ToArray();
            b = net.b.Select(m => m?.Clone()!).ToArray();
            z = new Matrix<double>[L]; a = new Matrix<double>[L]; dz = new Matrix<double>[L]; dw = new Matrix<double>[L]; da = new Matrix<double>[L];
            for (int l = 1; l < L; l++)
            {
                z[l] = new DenseMatrix(Layers[l], M); a[l] = new DenseMatrix(Layers[l], M); dz[l] = new DenseMatrix(Layers[l], M);
                dw[l] = new DenseMatrix(Layers[l], Layers[l - 1]); da[l] = new DenseMatrix(Layers[l], M);
            }
            a[0] = x;
            db = new double[Layers.Max()];
        }

        public void Step()
        {
            int layers = Layers.Length - 1;
            for (int l = 1; l <= layers; l++)
            {
                Gemm.Multiply(1, Tensor.Of(w[l]), false, Tensor.Of(a[l - 1]), false, 0, Tensor.Of(z[l]));
                var zs = Tensor.Of(z[l]).Array; var bias = Tensor.Of(b[l]).Array; int n = Layers[l];
                for (int j = 0; j < M; j++) TensorPrimitives.Add(zs.AsSpan(j * n, n), bias, zs.AsSpan(j * n, n));
                if (l < layers) TensorPrimitives.Max(zs, 0.0, Tensor.Of(a[l]).Array);
                else TensorPrimitives.Sigmoid(zs, Tensor.Of(a[l]).Array);
            }
            TensorPrimitives.Subtract(Tensor.Of(a[layers]).Array, Tensor.Of(y).Array, Tensor.Of(dz[layers]).Array);
            for (int l = layers; l >= 1; l--)
            {
                int n = Layers[l];
                Gemm.Multiply(1.0 / M, Tensor.Of(dz[l]), false, Tensor.Of(a[l - 1]), true, 0, Tensor.Of(dw[l]));
                var dzs = Tensor.Of(dz[l]).Array;
                Array.Clear(db);
                for (int j = 0; j < M; j++) TensorPrimitives.Add(db.AsSpan(0, n), dzs.AsSpan(j * n, n), db.AsSpan(0, n));
                if (l > 1)
                {
                    Gemm.Multiply(1, Tensor.Of(w[l]), true, Tensor.Of(dz[l]), false, 0, Tensor.Of(da[l - 1]));
                    var zp = Tensor.Of(z[l - 1]).Array; var dap = Tensor.Of(da[l - 1]).Array; var dzp = Tensor.Of(dz[l - 1]).Array;
                    for (int i = 0; i < zp.Length; i++) dzp[i] = zp[i] > 0 ? dap[i] : 0;
                }
                TensorPrimitives.MultiplyAdd(Tensor.Of(dw[l]).Array, -LearningRate, Tensor.Of(w[l]).Array, Tensor.Of(w[l]).Array);
                TensorPrimitives.MultiplyAdd(db.AsSpan(0, n), -LearningRate / M, Tensor.Of(b[l]).Array, Tensor.Of(b[l]).Array);
            }
        }
    }

    /// <summary>The network as a GraphDiff graph; backward is the graph's reverse mode.</summary>
    private sealed class GraphStep
    {
        private readonly EvaluationPlan plan;
        private readonly Feed feed;
        private readonly List<(Variable Parameter, Node Gradient)> updates = [];

        public GraphStep(DeepNetStep net)
        {
            var X = Graph.Input("X", Layers[0]);
            var Y = Graph.Input("Y", 1);
            Node A = X;
            var parameters = new List<Variable>();
            for (int l = 1; l < Layers.Length; l++)
            {
                var W = Graph.Variable($"W{l}", net.w[l].Clone());
                var bl = Graph.Variable($"b{l}", net.b[l].Clone());
                parameters.Add(W); parameters.Add(bl);
                var Z = Op.MatMul(W, A) + bl;
                A = l < Layers.Length - 1 ? Op.ReLU(Z) : Op.Sigmoid(Z);
            }
            var cost = Op.BinaryCrossEntropy(A, Y);
            var grads = Gradients.Of(cost, parameters);
            updates = parameters.Zip(grads).Select(p => (p.First, p.Second)).ToList();
            plan = new EvaluationPlan([cost, .. grads]);
            feed = new Feed { { X, net.x }, { Y, net.y } };
        }

        public void Step()
        {
            var run = plan.Run(feed);
            foreach (var (parameter, gradient) in updates)
            {
                var value = Tensor.Of(parameter.Value).Array;
                TensorPrimitives.MultiplyAdd(Tensor.Of(run[gradient]).Array, -LearningRate, value, value);
            }
        }
    }
}
