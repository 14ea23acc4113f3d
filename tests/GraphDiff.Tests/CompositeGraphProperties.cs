using FsCheck.Xunit;

namespace GraphDiff.Tests;

/// <summary>
/// Random DAGs of several operations, with fan-out (nodes reused by later steps) and broadcasting leaves:
/// the gradient with respect to every leaf agrees with central differences.
/// </summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 60)]
public class CompositeGraphProperties
{
    [Property]
    public void GradientOfEveryLeafAgreesWithFiniteDifferences(GraphCase c)
    {
        var random = new Random(c.Seed);
        var shapes = new[] { new Shape(c.Rows, c.Columns), new Shape(c.Rows, 1), new Shape(1, c.Columns), Shape.Scalar };
        var leaves = Enumerable.Range(0, 3)
            .Select(k => GradientAssert.Var($"x{k}", random, k == 0 ? shapes[0] : shapes[random.Next(shapes.Length)], TestData.Unit))
            .ToList();
        var nodes = new List<Node>(leaves);

        for (int step = 0; step < c.Steps; step++)
        {
            Node Pick() => nodes[random.Next(nodes.Count)];
            Node? next = random.Next(9) switch
            {
                0 => Op.Tanh(Pick()),
                1 => Op.Sigmoid(Pick()),
                2 => Op.Exp(Op.Tanh(Pick())),
                3 => TryBroadcast(Pick(), Pick(), (a, b) => a + b),
                4 => TryBroadcast(Pick(), Pick(), (a, b) => a * b),
                5 => TryBroadcast(Pick(), Pick(), (a, b) => a - 0.5 * b),
                6 => TryMatMul(Pick(), Pick()),
                7 => Op.Sum(Pick(), axis: random.Next(2)),
                _ => Op.Square(Op.Tanh(Pick())),
            };
            if (next is not null) nodes.Add(next);
        }

        // Every node contributes to J with its own weights, so every leaf reaches J through several paths.
        var cost = nodes.Select((n, k) => GradientAssert.WeightedSum(n, c.Seed + k)).Aggregate((x, y) => x + y);
        GradientAssert.Agrees(cost, leaves, c);
    }

    private static Node? TryBroadcast(Node a, Node b, Func<Node, Node, Node> op)
    {
        try { return op(a, b); }
        catch (ShapeMismatchException) { return null; }
    }

    private static Node? TryMatMul(Node a, Node b) =>
        a.Shape.Columns == b.Shape.Rows ? Op.MatMul(a, b)
        : a.Shape.Columns == b.Shape.Columns ? Op.MatMul(a, Op.Transpose(b))
        : a.Shape.Rows == b.Shape.Rows ? Op.MatMul(Op.Transpose(a), b)
        : null;
}
