using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// The elementwise steps after a product run in its write-back (Z = W·A + b and A = ReLU(Z) as W·A's columns are
/// finished; dZ = dA ⊙ Step(Z) as Wᵀ·dZ's are): values bit for bit those of the steps run one by one, at batch sizes
/// around the size from which products take a write-back, in double and float, over batch sizes that come back in random
/// order, with freed buffers poisoned; a NaN or ∞ is named at the node that made it, as without the write-back; plans on
/// several threads at once; and the write-back taken where it may be and only there.
/// </summary>
public class WriteBackTests
{
    /// <summary>A 3-layer network (ReLU, tanh, sigmoid) of <paramref name="hidden"/> units, its cost and gradients.</summary>
    private static (Input X, Input Y, Node[] Outputs, Variable B1) Network(int hidden, Random random)
    {
        var X = Graph.Input("X", 20);
        var Y = Graph.Input("Y", 1);
        Variable Weights(string name, int rows, int columns) =>
            Graph.Variable(name, DenseMatrix.Create(rows, columns, (_, _) => (random.NextDouble() - 0.5) * 0.6));
        var W1 = Weights("W1", hidden, 20);
        var b1 = Weights("b1", hidden, 1);
        var W2 = Weights("W2", hidden, hidden);
        var b2 = Weights("b2", hidden, 1);
        var W3 = Weights("W3", 1, hidden);
        var b3 = Weights("b3", 1, 1);
        var A1 = Op.ReLU(Op.MatMul(W1, X) + b1);
        var A2 = Op.Tanh(Op.MatMul(W2, A1) + b2);
        var cost = Op.BinaryCrossEntropy(Op.Sigmoid(Op.MatMul(W3, A2) + b3), Y);
        return (X, Y, [cost, .. Gradients.Of(cost, W1, b1, W2, b2, W3, b3)], b1);
    }

    private static Feed FeedFor(Input x, Input y, int m, Random random) => new()
    {
        { x, DenseMatrix.Create(20, m, (_, _) => random.NextDouble() * 2 - 1) },
        { y, DenseMatrix.Create(1, m, (_, j) => j % 2) },
    };

    /// <summary>The product's size from which a write-back is taken is a fused chain's (32K elements): 128 rows × 256 columns.</summary>
    [Theory]
    [InlineData(128, 1)]
    [InlineData(128, 255)]
    [InlineData(128, 256)]
    [InlineData(128, 257)]
    [InlineData(128, 1000)]
    [InlineData(64, 2049)]
    [InlineData(100, 3001)]
    public void StepsInAWriteBackGiveTheBitsOfTheStepsOneByOne(int hidden, int m)
    {
        foreach (var precision in new[] { Precision.Double, Precision.Single })
        {
            var random = new Random(hidden * 13 + m);
            var (x, y, outputs, _) = Network(hidden, random);
            var feed = FeedFor(x, y, m, random);
            var plan = new EvaluationPlan(outputs, precision) { PoisonFreedBuffers = true };
            var withoutWriteBack = new EvaluationPlan(outputs, precision) { UseWriteBacks = false };
            var stepByStep = new EvaluationPlan(outputs, precision) { Fuse = false };   // folding stays: 1/m·(dZ·Aᵀ) rounds apart from (1/m·dZ)·Aᵀ
            var actual = plan.Run(feed);
            var expected = stepByStep.Run(feed);
            var fused = withoutWriteBack.Run(feed);
            foreach (var output in outputs)
            {
                Assert.Equal(expected[output], actual[output]);
                Assert.Equal(expected[output], fused[output]);
            }
            bool large = (long)hidden * m >= 32 * 1024;
            // Forward: Add and ReLU after W1·X, Add and Tanh after W2·A1; backward: the masked products of both layers.
            if (large) Assert.True(plan.WrittenBackSteps >= 5, $"{precision}: only {plan.WrittenBackSteps} steps written back");
            else Assert.Equal(0, plan.WrittenBackSteps);
            Assert.Equal(0, withoutWriteBack.WrittenBackSteps);
            Assert.Equal(0, stepByStep.WrittenBackSteps);
        }
    }

    [Fact]
    public void AResultNeverDependsOnThePlansHistoryOfBatchSizes()
    {
        var random = new Random(21);
        var (x, y, outputs, _) = Network(128, random);
        var plan = new EvaluationPlan(outputs) { PoisonFreedBuffers = true };
        var single = new EvaluationPlan(outputs, Precision.Single);
        int[] sizes = [3, 255, 256, 300, 1000, 64, 257, 2000];
        for (int run = 0; run < 16; run++)
        {
            int m = sizes[random.Next(sizes.Length)];
            var feed = FeedFor(x, y, m, random);
            var expected = new EvaluationPlan(outputs) { Fuse = false }.Run(feed);
            var expectedSingle = new EvaluationPlan(outputs, Precision.Single) { Fuse = false }.Run(feed);
            var actual = plan.Run(feed);
            var actualSingle = single.Run(feed);
            foreach (var output in outputs)
            {
                Assert.Equal(expected[output], actual[output]);
                Assert.Equal(expectedSingle[output], actualSingle[output]);
            }
        }
    }

    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Single)]
    public void ANonFiniteValueInAWriteBackIsNamedAsWithoutIt(Precision precision)
    {
        var random = new Random(5);
        var (x, y, outputs, b1) = Network(128, random);
        var feed = FeedFor(x, y, 400, random);
        // A bias of ∞ in one row: Z1 = W1·X + b1 is the first value that is not finite.
        b1.Value[7, 0] = double.PositiveInfinity;
        var plan = new EvaluationPlan(outputs, precision) { CheckInputs = true };
        var reference = new EvaluationPlan(outputs, precision) { UseWriteBacks = false };
        // A variable is checked when it is read: both plans stop there, before any product.
        var expected = Assert.Throws<NonFiniteValueException>(() => reference.Run(feed));
        var actual = Assert.Throws<NonFiniteValueException>(() => plan.Run(feed));
        Assert.Equal(expected.Message, actual.Message);
    }

    [Theory]
    [InlineData(Precision.Double, 1e200)]
    [InlineData(Precision.Single, 1e25)]
    public void AnOverflowInAWrittenBackStepIsNamedAtThatStep(Precision precision, double scale)
    {
        // W·X is finite, W·X + b is finite, and exp(W·X + b) overflows in a few columns only.
        var random = new Random(9);
        var X = Graph.Input("X", 10);
        var W = Graph.Variable("W", DenseMatrix.Create(128, 10, (_, _) => random.NextDouble() - 0.5));
        var b = Graph.Variable("b", DenseMatrix.Create(128, 1, (_, _) => random.NextDouble() - 0.5));
        var Z = (Op.MatMul(W, X) + b).Named("Z");
        var E = Op.Exp(Z * Math.Log(scale)).Named("E");
        var product = (Op.MatMul(W, X) * 2.0).Named("twice");
        var outputs = new Node[] { Op.Sum(E * Z), Op.Sum(product) };
        var values = DenseMatrix.Create(10, 600, (_, _) => random.NextDouble() * 0.1);
        values[3, 517] = 300;   // one column's Z is large: exp overflows there
        var feed = new Feed { { X, values } };
        var plan = new EvaluationPlan(outputs, precision);
        var reference = new EvaluationPlan(outputs, precision) { UseWriteBacks = false };
        var expected = Assert.Throws<NonFiniteValueException>(() => reference.Run(feed));
        var actual = Assert.Throws<NonFiniteValueException>(() => plan.Run(feed));
        Assert.True(plan.WrittenBackSteps >= 2, $"only {plan.WrittenBackSteps} steps written back");
        Assert.Equal(expected.Message, actual.Message);
        Assert.Contains("517", actual.Message);
    }

    [Fact]
    public void AProductsOverflowIsNamedAtTheProduct()
    {
        var X = Graph.Input("X", 4);
        var W = Graph.Variable("W", DenseMatrix.Create(128, 4, 1e200));
        var b = Graph.Variable("b", DenseMatrix.Create(128, 1, 1.0));
        var Z = (Op.MatMul(W, X).Named("WX") + b).Named("Z");
        var values = DenseMatrix.Create(4, 300, 1.0);
        values[2, 299] = 1e200;
        var plan = new EvaluationPlan([Op.Sum(Op.ReLU(Z))]);
        var e = Assert.Throws<NonFiniteValueException>(() => plan.Run(new Feed { { X, values } }));
        Assert.True(plan.WrittenBackSteps >= 2);
        Assert.Contains("WX", e.Message);
    }

    [Fact]
    public void PlansOnSeveralThreadsAtOnceGiveTheirOwnValues()
    {
        var random = new Random(17);
        var (x, y, outputs, _) = Network(128, random);
        var feeds = Enumerable.Range(0, 4).Select(i => FeedFor(x, y, 500 + 97 * i, random)).ToArray();
        var expected = feeds.Select(f => new EvaluationPlan(outputs) { Fuse = false }.Run(f)).ToArray();
        Parallel.For(0, 4, i =>
        {
            var plan = new EvaluationPlan(outputs);
            for (int run = 0; run < 5; run++)
            {
                var actual = plan.Run(feeds[i]);
                foreach (var output in outputs) Assert.Equal(expected[i][output], actual[output]);
            }
        });
    }

    [Fact]
    public void AStepReadingAValueComputedAfterTheProductIsNotWrittenBack()
    {
        // Z·2 + exp(V) reads exp(V), which the schedule computes after the product: Add stays a step of its own, and
        // the product's buffer lives until then.
        var random = new Random(3);
        var X = Graph.Input("X", 6);
        var W = Graph.Variable("W", DenseMatrix.Create(64, 6, (_, _) => random.NextDouble() - 0.5));
        var V = Graph.Variable("V", DenseMatrix.Create(64, 1, (_, _) => random.NextDouble() - 0.5));
        var P = Op.MatMul(W, X);
        var outputs = new Node[] { Op.Sum(Op.Tanh(P) + Op.Exp(V * P)) };
        var feed = new Feed { { X, DenseMatrix.Create(6, 1000, (_, _) => random.NextDouble()) } };
        var plan = new EvaluationPlan(outputs) { PoisonFreedBuffers = true };
        var actual = plan.Run(feed)[outputs[0]];
        var expected = new EvaluationPlan(outputs) { Fuse = false }.Run(feed)[outputs[0]];
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Single)]
    public void AProductsOperandsLiveUntilItsWriteBackEnds(Precision precision)
    {
        // T = tanh(V), 64×2200, is read by the product alone: its block is free once the product has run, and Z = T·X + b
        // (64×2200, read twice) would take it — while the product, which packs T again for every 1,024 columns of a
        // thread's part, hands Z's first columns to the write-back.
        var random = new Random(12);
        var X = Graph.Input("X", 2200);
        var V = Graph.Variable("V", DenseMatrix.Create(64, 2200, (_, _) => random.NextDouble() - 0.5));
        var b = Graph.Variable("b", DenseMatrix.Create(64, 1, (_, _) => random.NextDouble() - 0.5));
        var Z = Op.MatMul(Op.Tanh(V), X) + b;
        var outputs = new Node[] { Op.Sum(Op.ReLU(Z) * Z), Op.Sum(Op.Sigmoid(Z)) };
        var feed = new Feed { { X, DenseMatrix.Create(2200, 2200, (_, _) => random.NextDouble() * 0.1 - 0.05) } };
        var plan = new EvaluationPlan(outputs, precision);
        var actual = plan.Run(feed);
        var expected = new EvaluationPlan(outputs, precision) { Fuse = false }.Run(feed);
        Assert.True(plan.WrittenBackSteps >= 2, $"only {plan.WrittenBackSteps} steps written back");
        foreach (var output in outputs) Assert.Equal(expected[output], actual[output]);
    }

    [Fact]
    public void TheListingNamesEachProductAndTheStepsItRan()
    {
        var random = new Random(2);
        var (x, y, outputs, _) = Network(128, random);
        var plan = new EvaluationPlan(outputs);
        Assert.Null(plan.WriteBacks);   // decided at a batch size's lay-out
        plan.Run(FeedFor(x, y, 1000, random));
        var lines = plan.WriteBacks!.Split(Environment.NewLine);
        // W1·X → Add, ReLU; W2·A1 → Add, Tanh; and the two backward products with their masks and derivatives.
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^%\d+ MatMul \(WriteBackTests\.cs:\d+\) → %\d+ Add, %\d+ ReLU$", lines[0]);
        Assert.Contains("Tanh", lines[1]);
        Assert.All(lines[2..], line => Assert.Contains("Multiply", line));
        plan.Run(FeedFor(x, y, 16, random));
        Assert.Null(plan.WriteBacks);   // 128×16: too small to take a write-back
        var off = new EvaluationPlan(outputs) { UseWriteBacks = false };
        off.Run(FeedFor(x, y, 1000, random));
        Assert.Null(off.WriteBacks);
    }

    /// <summary>A user's copy that claims a write-back and reports one column fewer than its result has.</summary>
    private sealed class ForgetfulCopy : Operation
    {
        public override string Name => "ForgetfulCopy";
        public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;
        public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => inputs[0].CopyTo(result);
        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream];
        public override bool HasWriteBack => true;
        public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result, Action<int, int, int> columnsFinished)
        {
            inputs[0].CopyTo(result);
            columnsFinished(0, 0, result.Columns - 1);
        }
    }

    [Fact]
    public void AnOperationThatReportsTooFewColumnsIsRefusedNotTrusted()
    {
        var X = Graph.Input("X", 128);
        var copy = Node.Apply(new ForgetfulCopy(), [X]);
        var output = Op.Sum(Op.ReLU(copy) * 2.0);
        var plan = new EvaluationPlan([output]);
        var feed = new Feed { { X, DenseMatrix.Create(128, 300, 1.0) } };
        var error = Assert.Throws<InvalidOperationException>(() => plan.Run(feed));
        Assert.Contains("ForgetfulCopy", error.Message);
        Assert.Contains("reported 299 columns of its 300", error.Message);
        // Without write-backs the operation's plain forward runs, and the value is right.
        var off = new EvaluationPlan([output]) { UseWriteBacks = false };
        Assert.Equal(2.0 * 128 * 300, off.Run(feed).Scalar(output));
    }
}
