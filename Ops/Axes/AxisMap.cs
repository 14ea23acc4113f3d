using System.Globalization;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// How a value X maps onto a smaller value Y: each axis of X is an axis of Y of the same size, or is reduced
/// (summed, averaged, maximised over; or repeated when Y is broadcast back to X). Y's axes that no axis of X maps
/// to have size 1. A reduction goes X → Y, its adjoint (a broadcast) Y → X, with the same map. Broadcasting's
/// rule (aligned on the last axis) and a reduction that drops its axes are two ways to build one.
/// </summary>
internal sealed class AxisMap
{
    private AxisMap(Shape x, Shape y, int[] map)
    {
        X = x;
        Y = y;
        Map = map;
    }

    /// <summary>The larger shape.</summary>
    public Shape X { get; }

    /// <summary>The reduced shape.</summary>
    public Shape Y { get; }

    /// <summary>For each axis of X, its axis in Y, or −1 when reduced.</summary>
    public int[] Map { get; }

    /// <summary>The reduced axes of X.</summary>
    public int[] Reduced => [.. Enumerable.Range(0, Map.Length).Where(a => Map[a] < 0)];

    /// <summary>Y broadcast to X by numpy's rule, aligned on the last axis: axes missing from Y, or of size 1 in Y only, are reduced.</summary>
    public static AxisMap Aligned(Shape x, Shape y)
    {
        int[] dx = x.Dimensions, dy = y.Dimensions;
        int offset = dx.Length - dy.Length;
        if (offset < 0 && dy.Take(-offset).Any(d => d != 1)) return Refuse(x, y);
        var map = new int[dx.Length];
        for (int a = 0; a < dx.Length; a++)
        {
            int k = a - offset;
            map[a] = k >= 0 && dy[k] == dx[a] ? k : -1;
            if (k >= 0 && map[a] < 0 && dy[k] != 1) return Refuse(x, y);
        }
        return new(x, y, map);
    }

    /// <summary>X reduced over <paramref name="axes"/> (distinct, in range), keeping them as size 1 or dropping them (a result of rank below 2 gets leading 1s).</summary>
    public static AxisMap Reducing(Shape x, int[] axes, bool keep)
    {
        int[] dx = x.Dimensions;
        if (keep) return Aligned(x, Shape.Of([.. dx.Select((d, a) => axes.Contains(a) ? 1 : d)]));
        int[] kept = [.. Enumerable.Range(0, dx.Length).Where(a => !axes.Contains(a))];
        int pad = Math.Max(0, 2 - kept.Length);
        var map = new int[dx.Length];
        Array.Fill(map, -1);
        for (int k = 0; k < kept.Length; k++) map[kept[k]] = pad + k;
        return new(x, Shape.Of([.. Enumerable.Repeat(1, pad), .. kept.Select(a => dx[a])]), map);
    }

    /// <summary>True when the map is numpy's broadcasting of Y to X, aligned on the last axis.</summary>
    public bool IsAligned
    {
        get
        {
            try { return Aligned(X, Y).Map.SequenceEqual(Map); }
            catch (ArgumentException) { return false; }
        }
    }

    /// <summary>The strides of X's storage, and for each axis of X the stride of its image in Y's storage (0 when reduced), for batch size m.</summary>
    public (long[] X, long[] Y) Strides(int m)
    {
        long[] sy = Strided.Strides(Strided.Resolve(Y, m));
        return (Strided.Strides(Strided.Resolve(X, m)), [.. Map.Select(k => k < 0 ? 0 : sy[k])]);
    }

    /// <summary>How many elements of X each element of Y gathers, for batch size m.</summary>
    public long Count(int m) => Reduced.Aggregate(1L, (n, a) => n * (X[a] == Shape.Batch ? m : X[a]));

    /// <summary>Reduces <paramref name="x"/> into <paramref name="y"/> a sum, or a maximum (−∞ over nothing).</summary>
    public void Reduce(Tensor x, Tensor y, bool max)
    {
        int m = Strided.BatchOf(X, x);
        y.Span.Fill(max ? double.NegativeInfinity : 0);
        var (sx, sy) = Strides(m);
        var run = new Strided.Accumulate(x.Span, y.Span, max);
        Strided.Walk(Strided.StorageOrder(X.Rank), Strided.Resolve(X, m), sx, sy, 0, 0, ref run);
    }

    /// <summary>Broadcasts <paramref name="y"/> into <paramref name="x"/>: every element of x takes its image in y.</summary>
    public void Broadcast(Tensor y, Tensor x)
    {
        int m = Strided.BatchOf(X, x);
        var (sx, sy) = Strides(m);
        var run = new Strided.Copy(y.Span, x.Span);
        Strided.Walk(Strided.StorageOrder(X.Rank), Strided.Resolve(X, m), sy, sx, 0, 0, ref run);
    }

    /// <summary>The map as attributes: both shapes (prefixes x and y) and the map (<c>map0</c>, <c>map1</c>, …).</summary>
    public Dictionary<string, double> Attributes()
    {
        var attributes = new Dictionary<string, double>(AxisAttributes.Of(X, "x"));
        foreach (var (key, value) in AxisAttributes.Of(Y, "y")) attributes[key] = value;
        for (int a = 0; a < Map.Length; a++) attributes["map" + a.ToString(CultureInfo.InvariantCulture)] = Map[a];
        return attributes;
    }

    /// <summary>The map a saved graph holds, refusing one whose axes do not correspond.</summary>
    public static AxisMap FromAttributes(IReadOnlyDictionary<string, double> attributes)
    {
        Shape x = AxisAttributes.Shape(attributes, "x"), y = AxisAttributes.Shape(attributes, "y");
        var map = new int[x.Rank];
        for (int a = 0; a < map.Length; a++)
        {
            double k = OperationInfo.Required(attributes, "map" + a.ToString(CultureInfo.InvariantCulture));
            bool valid = k == -1 || (k >= 0 && k < y.Rank && k == Math.Floor(k) && y[(int)k] == x[a] && !map.Take(a).Contains((int)k));
            map[a] = valid ? (int)k : throw new ArgumentOutOfRangeException(nameof(attributes), $"the attribute 'map{a}' must be −1 or an axis of {y} of the size of axis {a} of {x}, got {k}");
        }
        if (Enumerable.Range(0, y.Rank).Any(k => !map.Contains(k) && y[k] != 1))
            throw new ArgumentOutOfRangeException(nameof(attributes), $"every axis of {y} that no axis of {x} maps to must have size 1");
        return new(x, y, map);
    }

    private static AxisMap Refuse(Shape x, Shape y) =>
        throw new ArgumentException($"{y} does not broadcast to {x} (aligned on the last axis, each axis equal or 1).");
}
