using FsCheck.Xunit;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests.Printing;

/// <summary>
/// What the printer writes is what the graph computes: a random expression graph (+ − * /, negation, matrix
/// products with transposed operands, transposes, powers, squares, |x|, function calls, numbers of either sign,
/// named and unnamed nodes, operands shared by several nodes), printed, read back by a test-only evaluator that
/// knows nothing of the library's precedences, evaluates to the graph's value.
/// </summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 200)]
public class PrintedFormulaProperties
{
    private static readonly double[] Numbers = [2, 0.5, 3, -1, -1.5, -0.25];

    [Property]
    public void APrintedFormulaEvaluatesToTheGraphsValue(ExpressionCase c)
    {
        var (root, named) = RandomExpression(c);
        string printed = NodeFormatter.Expression(root, int.MaxValue);
        var values = named.ToDictionary(n => n.Name!, n => n.Evaluate());
        var read = FormulaEvaluator.Evaluate(printed, values);
        var expected = root.Evaluate();
        Assert.Equal((expected.RowCount, expected.ColumnCount), (read.RowCount, read.ColumnCount));
        for (int i = 0; i < expected.RowCount; i++)
            for (int j = 0; j < expected.ColumnCount; j++)
                Assert.True(Math.Abs(expected[i, j] - read[i, j]) <= 1e-9 * (1 + Math.Abs(expected[i, j])),
                    $"{printed} reads as {read[i, j]} at ({i}, {j}), but the graph computes {expected[i, j]} ({c})");
    }

    /// <summary>
    /// The graph and its named nodes (leaves and some intermediates). Every node of the pool is Size×Size; numbers
    /// (1×1) enter as operands of elementwise operations. A node whose values grow past 100 is passed through Tanh
    /// and a divisor near 0 becomes a factor, so that the comparison measures the printer, not rounding.
    /// </summary>
    private static (Node Root, List<Node> Named) RandomExpression(ExpressionCase c)
    {
        var random = new Random(c.Seed);
        var named = new List<Node>();
        var pool = new List<Node>();
        for (int k = 0; k < 3; k++)
        {
            var leaf = Graph.Variable($"v{k}", TestData.Matrix(random, new Shape(c.Size, c.Size), r => r.NextDouble() * 2 - 1));
            pool.Add(leaf);
            named.Add(leaf);
        }
        Node Pick() => pool[random.Next(pool.Count)];
        Node Number()
        {
            var number = Graph.Constant(Numbers[random.Next(Numbers.Length)]);
            return random.Next(4) switch { 0 => Op.Negate(number), 1 => Op.Square(number), 2 => Op.Transpose(number), _ => number };
        }
        Node Operand() => random.Next(5) == 0 ? Number() : Pick();
        for (int step = 0; step < c.Steps; step++)
        {
            Node a = Pick(), b = Operand();
            if (random.Next(2) == 0) (a, b) = (b, a);
            Node node = random.Next(12) switch
            {
                0 => a + b,
                1 => a - b,
                2 => a * b,
                3 => Bounded(b) is var d && d.Enumerate().All(x => Math.Abs(x) > 0.1) ? a / b : a * b,
                4 => Op.Negate(Pick()),
                5 or 6 => Op.MatMul(Pick(), random.Next(2) == 0, Pick(), random.Next(2) == 0),
                7 => Op.Transpose(Pick()),
                8 => random.Next(2) == 0 ? Op.Square(Pick()) : Op.Power(Pick(), random.Next(2, 4)),
                9 => Op.Abs(Pick()),
                10 => Op.Tanh(Pick()),
                _ => random.Next(2) == 0 ? Op.Sigmoid(Pick()) : Op.Exp(Pick()),
            };
            if (Bounded(node).Enumerate().Any(x => Math.Abs(x) > 100)) node = Op.Tanh(node);
            if (random.Next(4) == 0)
            {
                node = node.Named($"n{step}");
                named.Add(node);
            }
            pool.Add(node);
        }
        return (pool[^1], named);
    }

    private static Matrix<double> Bounded(Node node) => node.Evaluate();
}
