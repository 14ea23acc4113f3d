using System.Globalization;
using System.Numerics.Tensors;
using GraphDiff.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Benchmarks;

/// <summary>
/// One training step (forward, backward, update) of one of the course's networks — [LINEAR→hidden]×(L−1) →
/// LINEAR→SIGMOID, hidden ReLU or tanh — three ways: the course's hand-written L_model_forward /
/// L_model_backward on MathNet alone; the same hand-written code on GraphDiff's kernels; and GraphDiff's graph
/// (BinaryCrossEntropy, reverse mode, an evaluation plan). The deep step is 784-128-64-1 on m = 8000, the
/// shallow one 2-4-1 tanh on m = 400, the mini-batch one 784-128-64-1 on m = 64.
/// </summary>
internal sealed class CourseStep
{
    private const double LearningRate = 0.01;

    private readonly string title, key;
    private readonly int[] Layers;
    private readonly int M;
    private readonly bool tanh;
    private readonly Matrix<double> x, y;
    private readonly Matrix<double>[] w, b;

    public static CourseStep Deep() => new("deep-net step 784-128-64-1, m=8000", "deep", [784, 128, 64, 1], 8000, tanh: false);
    public static CourseStep Shallow() => new("shallow step 2-4-1 tanh, m=400", "shallow", [2, 4, 1], 400, tanh: true);
    public static CourseStep MiniBatch() => new("mini-batch step 784-128-64-1, m=64", "mini-batch", [784, 128, 64, 1], 64, tanh: false);

    /// <summary>Multiply-adds of one step × 2: forward Z, backward dW, and dA for every layer but the first.</summary>
    private double Flops
    {
        get
        {
            double f = 0;
            for (int l = 1; l < Layers.Length; l++) f += 2.0 * Layers[l] * Layers[l - 1] * M * (l > 1 ? 3 : 2);
            return f;
        }
    }

    private CourseStep(string title, string key, int[] layers, int m, bool tanh)
    {
        this.title = title; this.key = key; Layers = layers; M = m; this.tanh = tanh;
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

    public void Run(Report report, double allCoresPeak = 0)
    {
        var mathNet = new MathNetBackprop(this);
        var kernels = new KernelBackprop(this);
        var graph = new GraphStep(this, Precision.Double);
        var single = new GraphStep(this, Precision.Single);
        var interpreted = new GraphStep(this, Precision.Double, generate: false);
        var unwritten = new GraphStep(this, Precision.Double, writeBacks: false);
        bool big = Flops > 1e9;
        double tMathNet = Timing.BestSeconds(mathNet.Step, budgetSeconds: big ? 2 : 0.5, maxRuns: big ? 3 : 10_000, minRuns: 2);
        double tKernels = Timing.BestSeconds(kernels.Step, budgetSeconds: big ? 1 : 0.5);
        // float64 and float32 alternated over three rounds, the best of each: a noisy spell of this shared machine hits both.
        double tGraph = double.MaxValue, tSingle = double.MaxValue, tInterpreted = double.MaxValue, tUnwritten = double.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            tGraph = Math.Min(tGraph, Timing.BestSeconds(graph.Step, budgetSeconds: big ? 1 : 0.5));
            tSingle = Math.Min(tSingle, Timing.BestSeconds(single.Step, budgetSeconds: big ? 1 : 0.5));
            tInterpreted = Math.Min(tInterpreted, Timing.BestSeconds(interpreted.Step, budgetSeconds: big ? 1 : 0.5));
            tUnwritten = Math.Min(tUnwritten, Timing.BestSeconds(unwritten.Step, budgetSeconds: big ? 1 : 0.5));
        }
        report.Line($"{title,-40} {"time",9} {"vs MathNet",11}");
        report.Line(string.Create(CultureInfo.InvariantCulture, $"{"hand-written backprop, MathNet only",-40} {Ms(tMathNet)} {1.0,10:F1}×"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"{"hand-written backprop, GraphDiff kernels",-40} {Ms(tKernels)} {tMathNet / tKernels,10:F1}×"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"{"GraphDiff graph (reverse mode)",-40} {Ms(tGraph)} {tMathNet / tGraph,10:F1}×"));
        double gflops = Flops / tGraph / 1e9;
        string ofPeak = allCoresPeak > 0 ? string.Create(CultureInfo.InvariantCulture, $" = {gflops / allCoresPeak:P0} of the measured peak") : "";
        report.Line(string.Create(CultureInfo.InvariantCulture, $"graph overhead over hand-written code on the same kernels: {tGraph / tKernels:F2}×; graph step {gflops:F1} GFLOP/s{ofPeak}"));
        report.Record($"{key} step vs MathNet", gflops, allCoresPeak > 0 ? gflops / allCoresPeak : 0, tMathNet / tGraph, 0);
        report.Record($"{key} graph overhead", 0, 0, tGraph / tKernels, 0);
        report.Line(string.Create(CultureInfo.InvariantCulture, $"float32 {key} step: {tSingle * 1e3:F2} ms, float64 {tGraph * 1e3:F2} ms, speed-up {tGraph / tSingle:F2}× over float64"));
        report.Record($"{key} float32 speed-up", Flops / tSingle / 1e9, 0, tGraph / tSingle, 0);
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"float64 {key} step with generated code {tGraph * 1e3:F3} ms, interpreted (UseGeneratedCode = false) {tInterpreted * 1e3:F3} ms: {tInterpreted / tGraph:F2}×"));
        report.Record($"{key} generated code speed-up", 0, 0, tInterpreted / tGraph, 0);
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"float64 {key} step with products' write-backs {tGraph * 1e3:F3} ms, without (each elementwise step a pass of its own) {tUnwritten * 1e3:F3} ms: {tUnwritten / tGraph:F2}×"));
        var (reused, onePerNode) = graph.BufferBytes();
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"plan buffers: {reused / 1e6:F1} MB fused and reused by liveness, against {onePerNode / 1e6:F1} MB for one buffer per node ({(double)reused / onePerNode:P0})"));
    }

    private static string Ms(double seconds) => seconds >= 1e-3
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3,7:F1}ms")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6,7:F1}µs");

    /// <summary>The course's L_model_forward / L_model_backward written with MathNet operations.</summary>
    private sealed class MathNetBackprop(CourseStep net)
    {
        public void Step()
        {
            int[] Layers = net.Layers; int M = net.M;
            int layers = Layers.Length - 1;
            var ones = DenseMatrix.Create(1, M, 1.0);
            var a = new Matrix<double>[layers + 1];
            var z = new Matrix<double>[layers + 1];
            a[0] = net.x;
            for (int l = 1; l <= layers; l++)
            {
                z[l] = net.w[l] * a[l - 1] + net.b[l] * ones;
                a[l] = l < layers ? z[l].Map(net.tanh ? Math.Tanh : (Func<double, double>)(v => Math.Max(v, 0))) : z[l].Map(v => 1 / (1 + Math.Exp(-v)));
            }
            var dz = a[layers] - net.y; // sigmoid + cross-entropy: dZ[L] = A[L] − Y
            for (int l = layers; l >= 1; l--)
            {
                var dw = dz.TransposeAndMultiply(a[l - 1]) / M;
                var db = dz.RowSums().ToColumnMatrix() / M;
                if (l > 1) dz = net.w[l].TransposeThisAndMultiply(dz).PointwiseMultiply(net.tanh ? a[l - 1].Map(v => 1 - v * v) : z[l - 1].Map(v => v > 0 ? 1.0 : 0.0));
                net.w[l] = net.w[l] - LearningRate * dw;
                net.b[l] = net.b[l] - LearningRate * db;
            }
        }
    }

    /// <summary>The same hand-written backprop on GraphDiff's GEMM and vectorised elementwise kernels, into preallocated buffers.</summary>
    private sealed class KernelBackprop
    {
        private readonly int[] Layers;
        private readonly int M;
        private readonly bool tanh;
        private readonly Matrix<double> x, y;
        private readonly Matrix<double>[] w, b, z, a, dz, dw, da;
        private readonly double[] db;

        public KernelBackprop(CourseStep net)
        {
            Layers = net.Layers; M = net.M; tanh = net.tanh;
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
                if (l < layers && tanh) VectorMath.Tanh(zs, Tensor.Of(a[l]).Array);
                else if (l < layers) TensorPrimitives.Max(zs, 0.0, Tensor.Of(a[l]).Array);
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
                    if (tanh)
                    {
                        var ap = Tensor.Of(a[l - 1]).Array;
                        for (int i = 0; i < ap.Length; i++) dzp[i] = dap[i] * (1 - ap[i] * ap[i]);
                    }
                    else for (int i = 0; i < zp.Length; i++) dzp[i] = zp[i] > 0 ? dap[i] : 0;
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
        private readonly Precision precision;
        private readonly double[] widened;

        public GraphStep(CourseStep net, Precision precision, bool generate = true, bool writeBacks = true)
        {
            this.precision = precision;
            int[] Layers = net.Layers;
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
                A = l < Layers.Length - 1 ? (net.tanh ? Op.Tanh(Z) : Op.ReLU(Z)) : Op.Sigmoid(Z);
            }
            var cost = Op.BinaryCrossEntropy(A, Y);
            var grads = Gradients.Of(cost, parameters);
            updates = parameters.Zip(grads).Select(p => (p.First, p.Second)).ToList();
            plan = new EvaluationPlan([cost, .. grads], precision) { UseGeneratedCode = generate, UseWriteBacks = writeBacks };
            feed = precision == Precision.Single
                ? new Feed { { X, GraphDiff.Nn.Dataset.ToSingle(net.x) }, { Y, GraphDiff.Nn.Dataset.ToSingle(net.y) } }
                : new Feed { { X, net.x }, { Y, net.y } };
            widened = new double[parameters.Max(p => p.Value.RowCount * p.Value.ColumnCount)];
        }


        /// <summary>The plan's buffers, and what one buffer per node would take for the same graph.</summary>
        public (long Reused, long OnePerNode) BufferBytes()
        {
            var single = new EvaluationPlan(plan.Schedule) { ReuseBuffers = false, Fuse = false };
            single.Run(feed);
            return (plan.ArenaBytes, single.ArenaBytes);
        }

        public void Step()
        {
            var run = plan.Run(feed);
            foreach (var (parameter, gradient) in updates)
            {
                var value = Tensor.Of(parameter.Value).Array;
                if (precision == Precision.Double) TensorPrimitives.MultiplyAdd(run.Tensor(gradient).Span, -LearningRate, value, value);
                else FloatUpdate.Update(parameter, run.TensorOf<float>(gradient), LearningRate, widened);
            }
        }
    }
}
