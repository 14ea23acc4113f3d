using FsCheck;
using FsCheck.Fluent;

namespace GraphDiff.Tests;

/// <summary>
/// A random case for one operation: the shape of the result, how each operand broadcasts
/// (0 full, 1 column (n,1), 2 row (1,m), 3 scalar), an inner dimension for products, and a seed for values.
/// Shrinks towards 1×1 and full operands, so a failure reads small.
/// </summary>
public sealed record OpCase(int Rows, int Columns, int Inner, int PatternA, int PatternB, int Seed)
{
    public Shape Full => new(Rows, Columns);

    public Shape Operand(int pattern) => pattern switch
    {
        0 => new Shape(Rows, Columns),
        1 => new Shape(Rows, 1),
        2 => new Shape(1, Columns),
        _ => Shape.Scalar,
    };

    public override string ToString() => $"result {Rows}×{Columns}, inner {Inner}, operands {Operand(PatternA)} and {Operand(PatternB)}, seed {Seed}";
}

/// <summary>A random composite graph: how many operations, the base shape, and a seed that picks the operations.</summary>
public sealed record GraphCase(int Steps, int Rows, int Columns, int Seed)
{
    public override string ToString() => $"{Steps} steps, base {Rows}×{Columns}, seed {Seed}";
}

/// <summary>
/// A random expression graph for the printer: how many operations, the side of its square leaves (1×1 when 1),
/// and a seed that picks operations, operands, constants and which nodes are named.
/// </summary>
public sealed record ExpressionCase(int Steps, int Size, int Seed)
{
    public override string ToString() => $"{Steps} steps, leaves {Size}×{Size}, seed {Seed}";
}

public static class Generators
{
    public static Arbitrary<OpCase> OpCase()
    {
        var gen =
            from rows in Gen.Choose(1, 5)
            from columns in Gen.Choose(1, 5)
            from inner in Gen.Choose(1, 5)
            from a in Gen.Choose(0, 3)
            from b in Gen.Choose(0, 3)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select new OpCase(rows, columns, inner, a, b, seed);
        return Arb.From(gen, Shrink);
    }

    private static IEnumerable<OpCase> Shrink(OpCase c)
    {
        if (c.Rows > 1) yield return c with { Rows = c.Rows - 1 };
        if (c.Columns > 1) yield return c with { Columns = c.Columns - 1 };
        if (c.Inner > 1) yield return c with { Inner = c.Inner - 1 };
        if (c.PatternA != 0) yield return c with { PatternA = 0 };
        if (c.PatternB != 0) yield return c with { PatternB = 0 };
    }

    public static Arbitrary<GraphCase> GraphCase()
    {
        var gen =
            from steps in Gen.Choose(1, 10)
            from rows in Gen.Choose(1, 4)
            from columns in Gen.Choose(1, 4)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select new GraphCase(steps, rows, columns, seed);
        return Arb.From(gen, ShrinkGraph);
    }

    private static IEnumerable<GraphCase> ShrinkGraph(GraphCase c)
    {
        if (c.Steps > 1) yield return c with { Steps = c.Steps - 1 };
        if (c.Rows > 1) yield return c with { Rows = c.Rows - 1 };
        if (c.Columns > 1) yield return c with { Columns = c.Columns - 1 };
    }

    public static Arbitrary<ExpressionCase> ExpressionCase()
    {
        var gen =
            from steps in Gen.Choose(1, 14)
            from size in Gen.Choose(1, 3)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select new ExpressionCase(steps, size, seed);
        return Arb.From(gen, ShrinkExpression);
    }

    private static IEnumerable<ExpressionCase> ShrinkExpression(ExpressionCase c)
    {
        if (c.Steps > 1) yield return c with { Steps = c.Steps - 1 };
        if (c.Size > 1) yield return c with { Size = c.Size - 1 };
    }
}
