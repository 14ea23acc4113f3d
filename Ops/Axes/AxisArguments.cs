namespace GraphDiff;

/// <summary>The axis arguments of the axis operations, checked once: in range (negative counts from the end), distinct.</summary>
internal static class AxisArguments
{
    /// <summary>The distinct axes of <paramref name="x"/>, sorted, each in range; refused naming the operation, x, its shape and the axis.</summary>
    public static int[] Many(string operation, Node x, int[] axes)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length == 0)
            throw new ArgumentException($"{operation}({x.Label}): give at least one axis of {x.Shape}.", nameof(axes));
        int[] result = [.. axes.Select(a => One(operation, x, a, nameof(axes)))];
        if (result.GroupBy(a => a).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"{operation}({x.Label}): axis {twice.Key} of {x.Shape} is given twice (axes [{string.Join(", ", axes)}]).", nameof(axes));
        Array.Sort(result);
        return result;
    }

    /// <summary>The axis <paramref name="axis"/> of <paramref name="x"/> counted from the front, refused when out of range.</summary>
    public static int One(string operation, Node x, int axis, string parameter = "axis")
    {
        ArgumentNullException.ThrowIfNull(x);
        int rank = x.Shape.Rank, k = axis < 0 ? axis + rank : axis;
        return (uint)k < (uint)rank ? k : throw new ArgumentOutOfRangeException(parameter,
            $"{operation}({x.Label}): axis {axis} is out of range for {x.Shape}, of rank {rank} (axes 0 to {rank - 1}, or −{rank} to −1 from the end).");
    }

    /// <summary>True when axis <paramref name="axis"/> of <paramref name="shape"/> is the batch dimension m.</summary>
    public static bool IsBatch(Shape shape, int axis) => shape[axis] == Shape.Batch;


    /// <summary>Axes as they print: <c>[0, 2]</c>.</summary>
    public static string Format(IEnumerable<int> axes) => $"[{string.Join(", ", axes)}]";
}
