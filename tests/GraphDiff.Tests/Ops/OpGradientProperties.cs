using FsCheck.Xunit;

namespace GraphDiff.Tests;

/// <summary>
/// Every operation's local derivative agrees with central differences on random shapes (every broadcasting
/// pattern for the binary operations) and random values in the operation's safe domain, away from kinks and poles.
/// </summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 40)]
public class OpGradientProperties
{
    private static void Unary(OpCase c, Func<Node, Node> op, Func<Random, double> domain)
    {
        var random = new Random(c.Seed);
        var x = GradientAssert.Var("x", random, c.Full, domain);
        GradientAssert.Agrees(GradientAssert.WeightedSum(op(x), c.Seed), [x], c);
    }

    private static void Binary(OpCase c, Func<Node, Node, Node> op, Func<Random, double> domainA, Func<Random, double> domainB, bool broadcast = true)
    {
        var random = new Random(c.Seed);
        var a = GradientAssert.Var("a", random, broadcast ? c.Operand(c.PatternA) : c.Full, domainA);
        var b = GradientAssert.Var("b", random, broadcast ? c.Operand(c.PatternB) : c.Full, domainB);
        GradientAssert.Agrees(GradientAssert.WeightedSum(op(a, b), c.Seed), [a, b], c);
    }

    [Property] public void Add(OpCase c) => Binary(c, (a, b) => a + b, TestData.Any, TestData.Any);
    [Property] public void Subtract(OpCase c) => Binary(c, (a, b) => a - b, TestData.Any, TestData.Any);
    [Property] public void Multiply(OpCase c) => Binary(c, (a, b) => a * b, TestData.Any, TestData.Any);
    [Property] public void Divide(OpCase c) => Binary(c, (a, b) => a / b, TestData.Any, TestData.AwayFromZero);
    [Property] public void ScalarOnTheLeft(OpCase c) => Unary(c, x => 2.5 - 3 * (1.5 / x) + 0.5, TestData.AwayFromZero);
    [Property] public void Negate(OpCase c) => Unary(c, x => -x, TestData.Any);
    [Property] public void Exp(OpCase c) => Unary(c, x => Op.Exp(x), TestData.Any);
    [Property] public void Log(OpCase c) => Unary(c, x => Op.Log(x), TestData.Positive);
    [Property] public void Square(OpCase c) => Unary(c, x => Op.Square(x), TestData.Any);
    [Property] public void PowerCube(OpCase c) => Unary(c, x => Op.Power(x, 3), TestData.Any);
    [Property] public void PowerFractional(OpCase c) => Unary(c, x => Op.Power(x, 1.5), TestData.Positive);
    [Property] public void PowerNegative(OpCase c) => Unary(c, x => Op.Power(x, -1), TestData.AwayFromZero);
    [Property] public void Sqrt(OpCase c) => Unary(c, x => Op.Sqrt(x), TestData.Positive);
    [Property] public void Abs(OpCase c) => Unary(c, x => Op.Abs(x), TestData.AwayFromZero);
    [Property] public void Sigmoid(OpCase c) => Unary(c, x => Op.Sigmoid(x), TestData.Any);
    [Property] public void Tanh(OpCase c) => Unary(c, x => Op.Tanh(x), TestData.Any);
    [Property] public void Softplus(OpCase c) => Unary(c, x => Op.Softplus(x), TestData.Any);
    [Property] public void ReLU(OpCase c) => Unary(c, x => Op.ReLU(x), TestData.AwayFromZero);
    [Property] public void LeakyReLU(OpCase c) => Unary(c, x => Op.LeakyReLU(x, 0.1), TestData.AwayFromZero);
    [Property] public void Clip(OpCase c) => Unary(c, x => Op.Clip(x, -0.5, 0.5), TestData.AwayFromHalf);
    [Property] public void Step(OpCase c) => Unary(c, x => Op.Step(x) * x, TestData.AwayFromZero);
    [Property] public void Transpose(OpCase c) => Unary(c, x => Op.Transpose(x), TestData.Any);
    [Property] public void SumAll(OpCase c) => Unary(c, x => Op.Sum(x), TestData.Any);
    [Property] public void SumDownColumns(OpCase c) => Unary(c, x => Op.Sum(x, axis: 0), TestData.Any);
    [Property] public void SumAcrossRows(OpCase c) => Unary(c, x => Op.Sum(x, axis: 1), TestData.Any);
    [Property] public void MeanAll(OpCase c) => Unary(c, x => Op.Mean(x), TestData.Any);
    [Property] public void MeanAcrossRows(OpCase c) => Unary(c, x => Op.Mean(x, axis: 1), TestData.Any);
    [Property] public void Softmax(OpCase c) => Unary(c, x => Op.Softmax(x), TestData.Any);
    [Property] public void LogSoftmax(OpCase c) => Unary(c, x => Op.LogSoftmax(x), TestData.Any);

    [Property]
    public void BroadcastTo(OpCase c)
    {
        var random = new Random(c.Seed);
        var x = GradientAssert.Var("x", random, c.Operand(c.PatternA), TestData.Any);
        var like = GradientAssert.Var("like", random, c.Full, TestData.Any);
        GradientAssert.Agrees(GradientAssert.WeightedSum(Op.BroadcastTo(x, like), c.Seed), [x, like], c);
    }

    [Property]
    public void MatMul(OpCase c)
    {
        var random = new Random(c.Seed);
        var a = GradientAssert.Var("A", random, new Shape(c.Rows, c.Inner), TestData.Any);
        var b = GradientAssert.Var("B", random, new Shape(c.Inner, c.Columns), TestData.Any);
        GradientAssert.Agrees(GradientAssert.WeightedSum(Op.MatMul(a, b), c.Seed), [a, b], c);
    }

    [Property]
    public void MatMulWithTransposes(OpCase c)
    {
        var random = new Random(c.Seed);
        bool ta = c.PatternA % 2 == 1, tb = c.PatternB % 2 == 1;
        var a = GradientAssert.Var("A", random, ta ? new Shape(c.Inner, c.Rows) : new Shape(c.Rows, c.Inner), TestData.Any);
        var b = GradientAssert.Var("B", random, tb ? new Shape(c.Columns, c.Inner) : new Shape(c.Inner, c.Columns), TestData.Any);
        var product = Op.MatMul(ta ? Op.Transpose(a) : a, tb ? Op.Transpose(b) : b);
        Assert.Equal(c.Full, product.Shape);
        GradientAssert.Agrees(GradientAssert.WeightedSum(product, c.Seed), [a, b], c);
    }

    [Property] public void BinaryCrossEntropy(OpCase c) => Binary(c, (a, b) => Op.BinaryCrossEntropy(a, b), TestData.Probability, TestData.Probability, broadcast: false);
    [Property] public void BinaryCrossEntropyWithLogits(OpCase c) => Binary(c, (a, b) => Op.BinaryCrossEntropyWithLogits(a, b), TestData.Any, TestData.Probability, broadcast: false);
    [Property]
    public void SoftmaxCrossEntropy(OpCase c)
    {
        // Labels are distributions (each column sums to 1): the domain of the loss's gradient softmax(z) − y.
        var random = new Random(c.Seed);
        var z = GradientAssert.Var("z", random, c.Full, TestData.Any);
        var y = GradientAssert.Var("y", random, c.Full, TestData.Probability);
        y.Value = TestData.Distributions(y.Value);
        GradientAssert.Agrees(GradientAssert.WeightedSum(Op.SoftmaxCrossEntropy(z, y), c.Seed), [z, y], c);
    }
    [Property] public void L1Loss(OpCase c) => Binary(c, (a, b) => Op.L1Loss(a, b), TestData.Positive, r => -TestData.Positive(r), broadcast: false);
    [Property] public void L2Loss(OpCase c) => Binary(c, (a, b) => Op.L2Loss(a, b), TestData.Any, TestData.Any, broadcast: false);
}
