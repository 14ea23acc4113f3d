using GraphDiff.Kernels;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// Every place that splits work into chunks, at sizes around every threshold and remainder, under simulated core
/// counts: the split result must equal the one-core result bit for bit, and every element must be written.
/// </summary>
public class WorkSplitTests
{
    public static TheoryData<int> CoreCounts => [2, 3, 4, 5, 7, 8, 16];

    [Fact]
    public void EveryElementwiseUnaryOperationIsInTheCatalogue()
    {
        // Classes deriving from ElementwiseUnary, and the compact Elementwise instances the library defines.
        var classes = typeof(ElementwiseUnary).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ElementwiseUnary)) && !t.IsAbstract && t != typeof(Elementwise))
            .Select(t => t.Name.Replace("Operation", ""));
        var instances = typeof(Op).GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)
            .Where(f => f.FieldType == typeof(Elementwise)).Select(f => ((Elementwise)f.GetValue(null)!).Name);
        var covered = UnaryCatalogue.Operations.Select(o => o.Operation.Name).ToHashSet();
        var missing = classes.Concat(instances).Where(n => !covered.Contains(n)).ToArray();
        Assert.True(missing.Length == 0, $"Not among Op.Operations (give the class a static instance or Examples): {string.Join(", ", missing)}");
        Assert.Contains("Tanh", instances);
    }

    [Theory]
    [MemberData(nameof(CoreCounts))]
    public void RangesCoverEveryElementExactlyOnce(int parts)
    {
        int[] sizes = [0, 1, 7, 8, 9, 15, 16, 17, 65_535, 65_536, 65_537, 65_544, 65_551, 65_552, 65_553, 70_001, 1 << 20, (1 << 20) + 1, int.MaxValue];
        foreach (int n in sizes)
        {
            long next = 0;
            for (int p = 0; p < parts; p++)
            {
                var (start, length) = WorkSplit.Range(n, parts, p, alignment: 8);
                Assert.True(length >= 0, $"n={n}, part {p}: negative length");
                if (length == 0) continue;
                Assert.Equal(next, start);
                if (p < parts - 1) Assert.Equal(0, start % 8);
                next = (long)start + length;
            }
            Assert.True(next == n, $"n = {n} over {parts} parts covers [0, {next}) only");
        }
    }

    [Theory]
    [MemberData(nameof(CoreCounts))]
    public void EveryUnaryOperationWritesEveryElementAroundTheParallelThreshold(int cores)
    {
        var random = new Random(cores);
        int threshold = ElementwiseUnary.ParallelThreshold;
        var sizes = Enumerable.Range(threshold - 2, 67).Concat([threshold * cores + 1, threshold * cores + cores * 8 - 1, 70_001, 65_551]);
        foreach (var (operation, domain) in UnaryCatalogue.Operations)
        {
            string name = operation.Name;
            foreach (int n in sizes)
            {
                var x = new double[n];
                for (int i = 0; i < n; i++) x[i] = domain(random);
                var split = new double[n];
                var single = new double[n];
                split.AsSpan().Fill(double.NaN);   // an element never written stays NaN and cannot pass
                operation.Forward(new Tensor(x, n, 1), new Tensor(split, n, 1), cores);
                operation.Forward(new Tensor(x, n, 1), new Tensor(single, n, 1), 1);
                for (int i = 0; i < n; i++)
                    if (BitConverter.DoubleToInt64Bits(split[i]) != BitConverter.DoubleToInt64Bits(single[i]))
                        Assert.Fail($"{name} over {n} elements on {cores} cores: element {i} is {split[i]}, one core gives {single[i]}");
            }
        }
    }

    [Fact]
    public void LogisticRegressionPredictsEveryColumnOfALargeBatch()
    {
        // The reported case: 4×65537 gave 0 for the last column (σ(0) = 0.5 for zero weights).
        var net = Network.LogisticRegression(4);
        var p = net.PredictProbabilities(new DenseMatrix(4, 65_537));
        for (int j = 0; j < p.ColumnCount; j++) Assert.Equal(0.5, p[0, j]);
    }

    [Fact]
    public void ATanhLayerOfAnUnevenSizeGivesTheSameCostAndGradientsAsItsSmallCopy()
    {
        // 3×21,851 = 65,553 elements: the Tanh, its Square in backward, and the Subtract's Negate are all split.
        var random = new Random(3);
        var w = Graph.Variable("W", TestData.Matrix(random, new Shape(3, 2), TestData.Any));
        var xValues = TestData.Matrix(random, new Shape(2, 21_851), TestData.Any);
        var x = Graph.Input("X", 2);
        var cost = Op.Sum(Op.Square(Op.Tanh(Op.MatMul(w, x)) - 0.25));
        var grad = Gradients.Of(cost, w)[w];
        var run = new EvaluationPlan(cost, grad).Run(new Feed { { x, xValues } });

        // The same sums, column block by column block, each below the parallel threshold.
        double expectedCost = 0;
        var expectedGrad = new DenseMatrix(3, 2);
        for (int start = 0; start < xValues.ColumnCount; start += 1000)
        {
            int count = Math.Min(1000, xValues.ColumnCount - start);
            var block = new EvaluationPlan(cost, grad).Run(new Feed { { x, xValues.SubMatrix(0, 2, start, count) } });
            expectedCost += block.Scalar(cost);
            expectedGrad += (DenseMatrix)block[grad];
        }
        Assert.Equal(expectedCost, run.Scalar(cost), 1e-9 * Math.Abs(expectedCost));
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++) Assert.Equal(expectedGrad[i, j], run[grad][i, j], 1e-9 * (1 + Math.Abs(expectedGrad[i, j])));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    public void GemmSplitAcrossThreadsMatchesOneThreadAtTileRemainders(int threads)
    {
        var random = new Random(threads);
        int[] sizes = [1, 7, 8, 9, 23, 24, 25, 47, 49, 97, 191, 193];
        foreach (int m in sizes)
            foreach (int n in new[] { 1, 5, 6, 7, 8, 9, 17, 65 })
            {
                int k = 1 + (m * 7 + n) % 40;
                var a = TestData.Matrix(random, new Shape(m, k), TestData.Any);
                var b = TestData.Matrix(random, new Shape(k, n), TestData.Any);
                var split = new DenseMatrix(m, n);
                var single = new DenseMatrix(m, n);
                split.Values.AsSpan().Fill(double.NaN);
                var packed = GemmOptions.Default with { DirectThreshold = 0 };
                Gemm.Multiply(1, Tensor.Of(a), false, Tensor.Of(b), false, 0, Tensor.Of(split), packed with { Threads = threads });
                Gemm.Multiply(1, Tensor.Of(a), false, Tensor.Of(b), false, 0, Tensor.Of(single), packed with { Threads = 1 });
                Assert.True(split.Values.AsSpan().SequenceEqual(single.Values), $"{m}×{k}·{k}×{n} on {threads} threads differs from one thread");
            }
    }
}
