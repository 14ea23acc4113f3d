using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// Fused chains of at least <see cref="EvaluationPlan.ParallelFusedElements"/> elements run their blocks on every core,
/// each thread with its own scratch blocks: the values are those of the steps run one by one, bit for bit, at sizes
/// around the threshold and every way the blocks divide (odd counts, a partial last block, one column per block), in
/// double and float, over batch sizes that change from run to run; a NaN names the first bad element as one thread
/// would; plans running on several threads at once do not disturb each other.
/// </summary>
public class ParallelFusedChainTests
{
    private const int Threshold = EvaluationPlan.ParallelFusedElements;

    /// <summary>A chain of seven elementwise steps over X (rows × m), a column bias and a scalar, and the ReLU-backward pattern.</summary>
    private static (Input X, Input G, Node[] Outputs) Chains(int rows, Random random)
    {
        var x = Graph.Input("X", rows);
        var g = Graph.Input("G", rows);
        var b = Graph.Variable("b", TestData.Matrix(random, new Shape(rows, 1), r => r.NextDouble() - 0.5));
        var s = Graph.Variable("s", 0.75);
        var chain = Op.Tanh(Op.Sigmoid(x + b) * s - 0.25) * Op.Exp(Op.Negate(x));
        var reluBackward = g * Op.Step(x - b);
        return (x, g, [chain, reluBackward]);
    }

    [Theory]
    [InlineData(128, Threshold / 128 - 1)]   // just under: one thread
    [InlineData(128, Threshold / 128 + 1)]   // just over, 8 columns a block: an odd count of blocks
    [InlineData(3, Threshold / 3 + 1)]       // 341 columns a block, the last one partial
    [InlineData(2000, 66)]                   // more rows than a block: one column per block
    [InlineData(1, Threshold + 5)]           // one row: 1,024 columns a block, a partial last one
    public void ChainsOnEveryCoreGiveTheBitsOfTheStepsOneByOne(int rows, int columns)
    {
        foreach (var precision in new[] { Precision.Double, Precision.Single })
        {
            var random = new Random(rows * 7 + columns);
            var (x, g, outputs) = Chains(rows, random);
            var feed = new Feed { { x, Values(random, rows, columns) }, { g, Values(random, rows, columns) } };
            var fused = new EvaluationPlan(outputs, precision);
            var steps = new EvaluationPlan(outputs, precision) { Fuse = false };
            var expected = steps.Run(feed);
            var actual = fused.Run(feed);
            foreach (var output in outputs) Assert.Equal(expected[output], actual[output]);
            Assert.True(fused.FusedSteps >= 6, $"only {fused.FusedSteps} steps fused");
        }
    }

    [Fact]
    public void AResultNeverDependsOnThePlansHistoryOfBatchSizes()
    {
        var random = new Random(11);
        const int rows = 96;
        var (x, g, outputs) = Chains(rows, random);
        var plan = new EvaluationPlan(outputs);
        // Batch sizes either side of the threshold (1,365 columns at 96 rows), coming back in random order.
        int[] sizes = [1, Threshold / rows - 3, Threshold / rows + 3, 3000, 10, Threshold / rows + 40];
        for (int run = 0; run < 14; run++)
        {
            int m = sizes[random.Next(sizes.Length)];
            var feed = new Feed { { x, Values(random, rows, m) }, { g, Values(random, rows, m) } };
            var fresh = new EvaluationPlan(outputs) { Fuse = false }.Run(feed);
            var reused = plan.Run(feed);
            foreach (var output in outputs) Assert.True(fresh[output].Equals(reused[output]), $"run {run}, m = {m}: a reused plan differs from a fresh one");
        }
    }

    /// <summary>
    /// Chains with generated loops (one thread's) run split over the cores instead once they reach the threshold, and as
    /// loops again below it: the bits are the steps', whichever runs, as m crosses the threshold both ways.
    /// </summary>
    [Fact]
    public void ChainsWithGeneratedLoopsSplitAboveTheThresholdAndLoopBelowIt()
    {
        foreach (var precision in new[] { Precision.Double, Precision.Single })
        {
            var random = new Random(3);
            const int rows = 64;
            var x = Graph.Input("X", rows);
            var g = Graph.Input("G", rows);
            var b = Graph.Variable("b", TestData.Matrix(random, new Shape(rows, 1), r => r.NextDouble() - 0.5));
            Node[] outputs = [(x * 0.5 + b) * g - x, g * Op.Step(x - b)];
            var plan = new EvaluationPlan(outputs, precision) { GenerateInBackground = false, InterpretedRunsFirst = 0, LoopEveryChain = true };
            foreach (int m in new[] { 100, Threshold / rows + 7, 30, Threshold / rows - 1, 3 * Threshold / rows })
            {
                var feed = new Feed { { x, Values(random, rows, m) }, { g, Values(random, rows, m) } };
                var expected = new EvaluationPlan(outputs, precision) { Fuse = false }.Run(feed);
                var actual = plan.Run(feed);
                foreach (var output in outputs) Assert.True(expected[output].Equals(actual[output]), $"{precision}, m = {m}: differs from the steps one by one");
            }
            Assert.Contains("loop", plan.GeneratedCode);
        }
    }

    /// <summary>A user's compact elementwise operation inside a long chain: its kernel runs on both threads' blocks, with the bits of one.</summary>
    [Fact]
    public void AUsersElementwiseOperationInALongChainGivesTheBitsOfTheStepsOneByOne()
    {
        var swish = new Elementwise("MySwish", (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] / (1 + Math.Exp(-x[i])); },
            derivative: (x, y) => Op.Sigmoid(x) + y * (1.0 - Op.Sigmoid(x)));
        var random = new Random(8);
        const int rows = 50, columns = Threshold / rows + 100;
        var x = Graph.Input("X", rows);
        var chain = swish.Apply(x * 0.5 + 1.0) * x;
        var feed = new Feed { { x, Values(random, rows, columns) } };
        var expected = new EvaluationPlan(chain) { Fuse = false }.Run(feed)[chain];
        var plan = new EvaluationPlan(chain);
        for (int run = 0; run < 3; run++) Assert.True(expected.Equals(plan.Run(feed)[chain]), $"run {run} differs from the steps one by one");
        Assert.True(plan.FusedSteps >= 3, $"only {plan.FusedSteps} steps fused");
    }

    [Theory]
    [InlineData(new[] { 1500 })]         // in the second thread's half only
    [InlineData(new[] { 1500, 40 })]     // in both halves: the first one is named
    [InlineData(new[] { 41, 1999 })]
    public void ANaNInAnyHalfNamesTheFirstBadElementAsOneThreadWould(int[] badColumns)
    {
        const int rows = 70, columns = 2000;   // 140,000 elements, 14 columns a block
        var x = Graph.Input("X", rows);
        var chain = Op.Tanh(Op.Log(x) * 2.0);
        var values = DenseMatrix.Create(rows, columns, (i, j) => badColumns.Contains(j) && i == 3 ? -1.0 : 1.0 + j);
        var error = Assert.Throws<NonFiniteValueException>(() => new EvaluationPlan(chain) { CheckInputs = false }.Run(new Feed { { x, values } }));
        Assert.Contains("Log(X)", error.Message);
        Assert.Contains($"row 3, column {badColumns.Min()}", error.Message);
    }

    [Fact]
    public void PlansRunningOnSeveralThreadsAtOnceGiveWhatOneGives()
    {
        var random = new Random(5);
        const int rows = 64, columns = 4000;
        var (x, g, outputs) = Chains(rows, random);
        var feed = new Feed { { x, Values(random, rows, columns) }, { g, Values(random, rows, columns) } };
        var expected = new EvaluationPlan(outputs) { Fuse = false }.Run(feed)[outputs[0]];
        var plans = Enumerable.Range(0, 4).Select(_ => new EvaluationPlan(outputs)).ToArray();
        var results = new Matrix<double>[plans.Length * 5];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            lock (plans[i % plans.Length]) results[i] = plans[i % plans.Length].Run(feed)[outputs[0]];
        });
        Assert.All(results, r => Assert.True(expected.Equals(r), "a plan run beside others differs"));
    }

    private static Matrix<double> Values(Random random, int rows, int columns) =>
        DenseMatrix.Create(rows, columns, (_, _) => random.NextDouble() * 4 - 2);
}
