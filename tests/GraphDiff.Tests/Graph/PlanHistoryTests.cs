using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// A plan's results never depend on its history: whatever sizes it ran before, and whatever changed in its inputs
/// and variables meanwhile, a run gives bit for bit what a fresh plan gives for the same feed.
/// </summary>
public class PlanHistoryTests
{
    /// <summary>
    /// Batch sizes on both sides of every place where the plan or its kernels switch strategy for this network
    /// (20 → 32 → 3): blocked products from 24³ multiply-adds of W1·X (m ≈ 21.6), fused chains from 32K elements of
    /// a 32-row value (m = 1,024), elementwise work split across cores from 2¹⁶ elements (m = 2,048), parallel
    /// products from 2²¹ multiply-adds (m ≈ 3,277), register widths (7, 8, 9), and 1.
    /// </summary>
    private static readonly int[] Sizes = [1, 2, 7, 8, 9, 21, 22, 31, 64, 1023, 1024, 1025, 2047, 2048, 3276, 3300];

    /// <summary>What happens to a leaf between two runs.</summary>
    private enum Change { None, InPlace, Replaced }

    private sealed class Course
    {
        public readonly Input X = Graph.Input("X", 20), Y = Graph.Input("Y", 3);
        public readonly Variable W1, b1, W2, b2;
        public readonly Node A1;
        public readonly Node[] Outputs;

        public Course(Random random)
        {
            W1 = Graph.Variable("W1", TestData.Matrix(random, new Shape(32, 20), TestData.Unit));
            b1 = Graph.Variable("b1", TestData.Matrix(random, new Shape(32, 1), TestData.Unit));
            W2 = Graph.Variable("W2", TestData.Matrix(random, new Shape(3, 32), TestData.Unit));
            b2 = Graph.Variable("b2", TestData.Matrix(random, new Shape(3, 1), TestData.Unit));
            A1 = Op.Tanh(Op.MatMul(W1, X) + b1);
            var sigmoidCost = Op.BinaryCrossEntropy(Op.Sigmoid(Op.MatMul(W2, A1) + b2), Y);
            var softmaxCost = Op.SoftmaxCrossEntropy(Op.MatMul(W2, A1) + b2, Y);
            var gradients = Gradients.Of(sigmoidCost + softmaxCost, W1, b1, W2, b2);
            Outputs = [A1, sigmoidCost, softmaxCost, .. gradients];
        }

        public Variable[] Variables => [W1, b1, W2, b2];
    }

    [Property(MaxTest = 25)]
    public Property AReusedPlanGivesWhatAFreshPlanGives(PositiveInt seed) => ReusedMatchesFresh(seed.Get, Precision.Double);

    /// <summary>The same in float32: its arena, conversion buffers (inputs fed as double, variables) and kept lay-outs are the plan's too.</summary>
    [Property(MaxTest = 15)]
    public Property AReusedFloatPlanGivesWhatAFreshFloatPlanGives(PositiveInt seed) => ReusedMatchesFresh(seed.Get, Precision.Single);

    private static Property ReusedMatchesFresh(int seed, Precision precision)
    {
        var random = new Random(seed);
        var course = new Course(random);
        var plan = new EvaluationPlan(course.Outputs, precision);
        var feeds = new Dictionary<int, (Matrix<double> X, Matrix<double> Y)>();
        var history = new List<string>();
        for (int run = 0; run < 10; run++)
        {
            // Repeat the last size now and then, else any size: alternations, revisits and first visits all occur.
            int m = run > 0 && random.Next(4) == 0 ? feeds.Keys.Last() : Sizes[random.Next(Sizes.Length)];
            bool inPlace = random.Next(3) == 0 && feeds.ContainsKey(m);
            if (inPlace && feeds.TryGetValue(m, out var old))
            {
                old.X.MapInplace(x => x + random.NextDouble() - 0.5);   // the same matrices, new contents
                feeds.Remove(m);
                feeds[m] = old;
            }
            else
            {
                feeds.Remove(m);
                feeds[m] = (TestData.Matrix(random, new Shape(20, m), TestData.Unit), OneHotLabels(random, m));
            }
            foreach (var v in course.Variables)
                switch ((Change)random.Next(3))
                {
                    case Change.InPlace: v.Value.MapInplace(w => w * 0.9 + 0.01); break;
                    case Change.Replaced: v.Value = TestData.Matrix(random, v.Shape, TestData.Unit); break;
                }
            history.Add($"m = {m}{(inPlace ? " (X changed in place)" : "")}");
            var (x, y) = feeds[m];
            var feed = new Feed { { course.X, x }, { course.Y, y } };
            var reused = plan.Run(feed);
            var fresh = new EvaluationPlan(course.Outputs, precision).Run(feed);
            foreach (var output in course.Outputs)
            {
                var (got, want) = (reused[output], fresh[output]);
                if (!BitEqual(got, want))
                    return false.Label($"run {run + 1} after {string.Join(", ", history)}: {output.Label} differs from a fresh plan's by {(got - want).Enumerate().Max(Math.Abs):G3}");
            }
        }
        return true.ToProperty();
    }

    [Fact]
    public void LargeBatchesThatComeBackAreComputedAfresh()
    {
        var random = new Random(8);
        var course = new Course(random);
        var plan = new EvaluationPlan(course.Outputs);
        foreach (int m in new[] { 100_000, 21_852, 100_000, 21_852 })
        {
            var feed = new Feed { { course.X, TestData.Matrix(random, new Shape(20, m), TestData.Unit) }, { course.Y, OneHotLabels(random, m) } };
            var reused = plan.Run(feed);
            var fresh = new EvaluationPlan(course.Outputs).Run(feed);
            foreach (var output in course.Outputs)
                Assert.True(BitEqual(reused[output], fresh[output]), $"m = {m}: {output.Label} differs from a fresh plan's");
        }
    }

    [Fact]
    public void PredictionOnASizeSeenBeforeIsThePredictionOfTheNewData()
    {
        var random = new Random(3);
        var net = Network.Create([20, 16, 1], new NetworkOptions { Hidden = Activation.Tanh });
        foreach (int m in new[] { 64, 32, 64, 32, 2000, 64, 2000 })
        {
            var x = TestData.Matrix(random, new Shape(20, m), TestData.Unit);
            var direct = net.Output.Evaluate(new Feed { { net.X, x } });
            Assert.True(BitEqual(direct, net.PredictProbabilities(x)), $"prediction on {m} examples differs from evaluating the output directly");
        }
    }

    [Fact]
    public void TheTrainerOnFreshBatchesWithARaggedLastBatchStepsAsAFreshPlanWould()
    {
        var trained = Network.Create([6, 5, 1], new NetworkOptions { Hidden = Activation.Tanh, Seed = 4 });
        var reference = Network.Create([6, 5, 1], new NetworkOptions { Hidden = Activation.Tanh, Seed = 4 });
        var source = new FreshBatches(examples: 96, batch: 64, seed: 9);
        var recorder = new RecordingOptimizer(new GradientDescent(0.5));
        Trainer.Train(trained, source, new TrainingOptions { Epochs = 4, Optimizer = recorder, RecordEvery = 1 });
        Assert.Equal(8, recorder.Steps.Count);
        Assert.Equal(64 * 4 + 32 * 4, source.Served.Sum(b => b.X.ColumnCount));

        var gradients = Gradients.Of(reference.Cost, reference.Parameters);
        var descent = new GradientDescent(0.5);
        for (int step = 0; step < source.Served.Count; step++)
        {
            var (x, y) = source.Served[step];
            var run = new EvaluationPlan([reference.Cost, .. gradients]).Run(new Feed { { reference.X, x }, { reference.Y, y } });
            descent.Update(reference.Parameters, gradients.Select(run.Tensor).ToArray());
            for (int p = 0; p < reference.Parameters.Count; p++)
                Assert.True(BitEqual(reference.Parameters[p].Value, recorder.Steps[step][p]),
                    $"step {step + 1} (m = {x.ColumnCount}): {reference.Parameters[p].Name} differs from a fresh plan's");
        }
    }

    [Fact]
    public void AnEarlierRunReadAfterALaterRunIsRefusedNamingTheFix()
    {
        var random = new Random(5);
        var course = new Course(random);
        var plan = new EvaluationPlan(course.Outputs);
        var cost = course.Outputs[1];
        foreach (var (m1, m2) in new[] { (64, 64), (64, 32), (1, 2000) })
        {
            var f1 = new Feed { { course.X, TestData.Matrix(random, new Shape(20, m1), TestData.Unit) }, { course.Y, OneHotLabels(random, m1) } };
            var f2 = new Feed { { course.X, TestData.Matrix(random, new Shape(20, m2), TestData.Unit) }, { course.Y, OneHotLabels(random, m2) } };
            var r1 = plan.Run(f1);
            var kept = r1[course.A1];   // a copy: still f1's after the next run
            double keptCost = r1.Scalar(cost);
            var r2 = plan.Run(f2);
            var error = Assert.Throws<StaleEvaluationException>(() => r1[course.A1]);
            Assert.Contains("run again", error.Message);
            Assert.Contains("copy", error.Message);
            Assert.Same(course.A1, error.Node);
            Assert.Throws<StaleEvaluationException>(() => r1.Scalar(cost));
            Assert.Throws<StaleEvaluationException>(() => r1.Tensor(course.A1));
            Assert.True(BitEqual(course.A1.Evaluate(f1), kept), "a copied result changed when the plan ran again");
            Assert.Equal(cost.EvaluateScalar(f1), keptCost);
            Assert.True(BitEqual(course.A1.Evaluate(f2), r2[course.A1]));
        }
    }

    [Fact]
    public void AResultReadAsAMatrixIsACopyOfAComputedValue()
    {
        // One output whose buffer is the whole arena: the case where a matrix over the arena itself could be handed out.
        var x = Graph.Variable("x", DenseMatrix.Create(2, 4, 0.5));
        var y = Op.Tanh(x);
        var run = new EvaluationPlan(y).Run();
        var copy = run[y];
        copy[0, 0] = 42;
        Assert.Equal(Math.Tanh(0.5), run[y][0, 0]);
        Assert.Equal(Math.Tanh(0.5), run.Tensor(y)[0, 0]);
        Assert.Same(Tensor.Of(x.Value).Array, Tensor.Of(run[x]).Array);   // a variable's own storage is the user's, not the plan's
    }

    [Fact]
    public void AResultIsNeverAnotherRunsFromSeveralThreads()
    {
        var random = new Random(6);
        var course = new Course(random);
        var plan = new EvaluationPlan(course.Outputs);
        const int threads = 4, runsPerThread = 150;
        var feeds = new Feed[threads];
        var expected = new Matrix<double>[threads];
        for (int t = 0; t < threads; t++)
        {
            int m = t % 2 == 0 ? 64 : 1500;
            feeds[t] = new Feed { { course.X, TestData.Matrix(random, new Shape(20, m), TestData.Unit) }, { course.Y, OneHotLabels(random, m) } };
            expected[t] = course.A1.Evaluate(feeds[t]);
        }
        int right = 0, stale = 0, busy = 0, wrong = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (int i = 0; i < runsPerThread; i++)
            {
                Evaluation run;
                try { run = plan.Run(feeds[t]); }
                catch (InvalidOperationException) { Interlocked.Increment(ref busy); continue; }   // refused: another thread is running it
                Thread.SpinWait(i % 7 * 50);   // let other threads run the plan between this run and its read
                try
                {
                    if (BitEqual(run[course.A1], expected[t])) Interlocked.Increment(ref right);
                    else Interlocked.Increment(ref wrong);
                }
                catch (StaleEvaluationException) { Interlocked.Increment(ref stale); }
            }
        });
        Assert.True(wrong == 0, $"{wrong} reads gave another run's values ({right} right, {stale} refused as stale, {busy} runs refused as busy)");
        Assert.True(right > 0, $"no read succeeded ({stale} stale, {busy} busy)");
    }

    private static Matrix<double> OneHotLabels(Random random, int m)
    {
        var y = new DenseMatrix(3, m);
        for (int j = 0; j < m; j++) y[random.Next(3), j] = 1;
        return y;
    }

    private static bool BitEqual(Matrix<double> a, Matrix<double> b) =>
        a.RowCount == b.RowCount && a.ColumnCount == b.ColumnCount
        && a.Enumerate().Zip(b.Enumerate()).All(p => BitConverter.DoubleToInt64Bits(p.First) == BitConverter.DoubleToInt64Bits(p.Second));

    /// <summary>Gradient descent that keeps a copy of the parameters after every step.</summary>
    private sealed class RecordingOptimizer(IOptimizer inner) : IOptimizer
    {
        public List<Matrix<double>[]> Steps { get; } = [];

        public double LearningRate { get => inner.LearningRate; set => inner.LearningRate = value; }

        public void Update(IReadOnlyList<Variable> parameters, IReadOnlyList<Tensor> gradients)
        {
            inner.Update(parameters, gradients);
            Steps.Add(parameters.Select(p => p.Value.Clone()).ToArray());
        }
    }

    /// <summary>
    /// A source that hands out new matrices for every batch (as a reader of files does), its examples drawn anew
    /// every epoch, the last batch of each epoch ragged; it keeps a copy of everything it served.
    /// </summary>
    private sealed class FreshBatches(int examples, int batch, int seed) : IBatchSource
    {
        private Random random = new(seed);

        public List<(Matrix<double> X, Matrix<double> Y)> Served { get; } = [];

        public IReadOnlyList<string> Names => ["X", "Y"];

        public int Examples => examples;

        public int BatchCount => (examples + batch - 1) / batch;

        public void BeginEpoch(int epoch) => random = new Random(seed + epoch);

        public IReadOnlyList<Matrix<double>> Batch(int index)
        {
            int m = Math.Min(batch, examples - index * batch);
            var x = TestData.Matrix(random, new Shape(6, m), TestData.Unit);
            var y = DenseMatrix.Create(1, m, (_, j) => x[0, j] + x[1, j] > 0 ? 1 : 0);
            Served.Add((x.Clone(), y.Clone()));
            return [x, y];
        }
    }
}
