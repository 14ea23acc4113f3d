using FsCheck.Xunit;

namespace GraphDiff.Tests;

/// <summary>
/// Every operation's local derivative agrees with central differences on random shapes (every broadcasting
/// pattern for the binary operations) and random values in the operation's declared domain, away from its kinks;
/// then the builders that compose operations.
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

    /// <summary>
    /// Every built-in operation (<see cref="Op.Operations"/>), with operand shapes from the case (broadcast patterns,
    /// a product's inner dimension) and values from its declared domain: a new operation is checked by being defined.
    /// </summary>
    [Property]
    public void EveryBuiltInOperation(OpCase c)
    {
        var operations = DeclaredOperations.Sampled;
        Assert.True(operations.Count >= 25, $"only {operations.Count} operations declare a domain");
        foreach (var operation in operations)
        {
            var random = new Random(c.Seed);
            var shapes = DeclaredOperations.ShapesFor(operation, c);
            var values = DeclaredOperations.Values(operation, shapes, random);
            var operands = DeclaredOperations.Variables(shapes, values);
            var node = Node.Apply(operation, operands);
            GradientAssert.Agrees(GradientAssert.WeightedSum(node, c.Seed), operands, $"{node} ({string.Join(", ", shapes)}), {c}");
        }
    }

    // Builders that compose operations, or rewrite what they are given.
    [Property] public void ScalarOnTheLeft(OpCase c) => Unary(c, x => 2.5 - 3 * (1.5 / x) + 0.5, TestData.AwayFromZero);
    [Property] public void StepMasks(OpCase c) => Unary(c, x => Op.Step(x) * x, TestData.AwayFromZero);
    [Property] public void MeanAll(OpCase c) => Unary(c, x => Op.Mean(x), TestData.Any);
    [Property] public void MeanAcrossRows(OpCase c) => Unary(c, x => Op.Mean(x, axis: 1), TestData.Any);

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

    [Property] public void L1Loss(OpCase c) => Binary(c, (a, b) => Op.L1Loss(a, b), TestData.Positive, r => -TestData.Positive(r), broadcast: false);
    [Property] public void L2Loss(OpCase c) => Binary(c, (a, b) => Op.L2Loss(a, b), TestData.Any, TestData.Any, broadcast: false);
}
