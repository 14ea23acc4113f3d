using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests;

/// <summary>
/// The built-in operations (<see cref="Op.Operations"/>) made into test cases from their declarations: operand
/// shapes that fit, values sampled from the declared domain away from the declared kinks, labels made
/// distributions where the operation's meaning says so. The tests that check every operation use this, so a new
/// operation is checked by being defined.
/// </summary>
internal static class DeclaredOperations
{
    /// <summary>Every built-in operation whose declaration says where to sample it.</summary>
    public static IReadOnlyList<Operation> Sampled => [.. Op.Operations.Where(o => o.Info.Domain is { Count: > 0 })];

    /// <summary>A value of operand <paramref name="operand"/> from the declared domain, at least 0.1 from a kink of the first operand.</summary>
    public static double Sample(Operation operation, int operand, Random random)
    {
        var domain = operation.Info.Domain ?? throw new InvalidOperationException($"{operation.Name} declares no domain.");
        var (low, high) = domain[Math.Min(operand, domain.Count - 1)];
        IReadOnlyList<double> kinks = operand == 0 ? operation.Kinks : [];
        for (int attempt = 0; ; attempt++)
        {
            double x = low + random.NextDouble() * (high - low);
            if (kinks.All(kink => Math.Abs(x - kink) >= 0.1) || attempt > 1000) return x;
        }
    }

    /// <summary>Values for each operand of <paramref name="operation"/> in <paramref name="shapes"/>, from its declaration.</summary>
    public static Matrix<double>[] Values(Operation operation, IReadOnlyList<Shape> shapes, Random random)
    {
        var values = shapes.Select((s, k) => TestData.Matrix(random, s, r => Sample(operation, k, r))).ToArray();
        // A distribution cross-entropy's labels (operand 1) sum to 1 in each column.
        if (operation.Info.Meaning == OperationMeaning.DistributionCrossEntropy) values[1] = TestData.Distributions(values[1]);
        return values;
    }

    /// <summary>Variables x0, x1, … of <paramref name="shapes"/> holding <paramref name="values"/> (storage matrices).</summary>
    public static Variable[] Variables(IReadOnlyList<Shape> shapes, IReadOnlyList<Matrix<double>> values) =>
        [.. values.Select((v, k) => Graph.Variable($"x{k}", shapes[k], v))];

    /// <summary>
    /// The first operand shapes, built from the case's (same shape, broadcast patterns, a product's inner
    /// dimension), under which the operation builds a node and its derivative has one entry per operand.
    /// </summary>
    public static Shape[] ShapesFor(Operation operation, OpCase c)
    {
        if (operation.Info.SampleShapes is { } declared)
            return [.. declared];
        Shape full = c.Full, a = c.Operand(c.PatternA), b = c.Operand(c.PatternB);
        Shape rk = new(c.Rows, c.Inner), kr = new(c.Inner, c.Rows), kc = new(c.Inner, c.Columns), ck = new(c.Columns, c.Inner);
        Shape[][] candidates = [[full], [a, b], [a, full], [full, full], [rk, kc], [kr, kc], [rk, ck], [kr, ck]];
        foreach (var shapes in candidates)
            if (Fits(operation, shapes)) return shapes;
        throw new InvalidOperationException($"No operand shapes fit {operation.Name} for {c}.");
    }

    private static bool Fits(Operation operation, Shape[] shapes)
    {
        try
        {
            var operands = shapes.Select((s, k) => (Node)Graph.Variable($"x{k}", s, Matrix<double>.Build.Dense(s.Rows, s.Columns, 0.5))).ToArray();
            var node = Node.Apply(operation, operands);
            return operation.Backward(node, Graph.Filled(node.Shape, 1.0)).Count == shapes.Length;
        }
        catch (Exception e) when (e is ShapeMismatchException or ArgumentException or IndexOutOfRangeException)
        {
            return false;
        }
    }
}
