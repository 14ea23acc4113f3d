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
        var (cost, leaves) = RandomGraph(c);
        GradientAssert.Agrees(cost, leaves, c);
    }

    /// <summary>
    /// The compiled plan with elementwise chains fused and buffers reused by liveness — freed buffers poisoned with NaN, so a value read after
    /// its block was given away would be reported — computes what the graph as written computes with a buffer per
    /// node (1e-12), for the cost, every gradient and several intermediate nodes kept as outputs.
    /// </summary>
    [Property]
    public void BuffersReusedByLivenessAreNeverReadAfterTheyAreGivenAway(GraphCase c)
    {
        var (cost, leaves) = RandomGraph(c);
        var gradients = Gradients.Of(cost, leaves);
        var some = Graph.Order([cost]).Where((n, k) => !n.IsLeaf && k % 5 == 0).ToArray();
        Node[] outputs = [cost, .. gradients, .. some];
        var planned = new EvaluationPlan(outputs) { PoisonFreedBuffers = true, FuseAtElements = 0 };
        var reference = new EvaluationPlan(outputs, compile: null) { ReuseBuffers = false, Fuse = false };
        var a = planned.Run();
        var b = reference.Run();
        foreach (var o in outputs)
        {
            var x = a.Tensor(o);
            var y = b.Tensor(o);
            for (int j = 0; j < x.Columns; j++)
                for (int i = 0; i < x.Rows; i++)
                    Assert.True(Math.Abs(x[i, j] - y[i, j]) <= 1e-12 * Math.Max(1, Math.Abs(y[i, j])), $"{o.Label}[{i}, {j}]: {x[i, j]} vs {y[i, j]}");
        }
        Assert.True(planned.ArenaBytes <= reference.ArenaBytes, $"reuse took {planned.ArenaBytes} bytes, more than one buffer per node ({reference.ArenaBytes})");
    }

    private static (Node Cost, List<Variable> Leaves) RandomGraph(GraphCase c)
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
        return (cost, leaves);
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
