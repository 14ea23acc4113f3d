namespace GraphDiff;

/// <summary>
/// Axis moves the ONNX lowerings share. A value of shape (d1, …, dk, c) is the ONNX tensor of dims (d1, …, dk, c);
/// its GraphDiff storage order is row-major over (c, d1, …, dk) (the last axis slowest), which ONNX sees only
/// after moving the last axis first.
/// </summary>
internal static class OnnxAxes
{
    /// <summary>The permutation that moves the last of <paramref name="rank"/> axes first: (d1, …, dk, c) → (c, d1, …, dk).</summary>
    public static long[] LastFirst(int rank) => [rank - 1, .. Enumerable.Range(0, rank - 1).Select(k => (long)k)];

    /// <summary>The permutation that moves the first of <paramref name="rank"/> axes last: (c, d1, …, dk) → (d1, …, dk, c).</summary>
    public static long[] FirstLast(int rank) => [.. Enumerable.Range(1, rank - 1).Select(k => (long)k), 0];

    /// <summary>Images (n_H, n_W, n_C, m) as ONNX's NCHW (m, n_C, n_H, n_W).</summary>
    public static string ToNchw(IOnnxWriter onnx, string x) => onnx.Add("Transpose", [x], ("perm", new long[] { 3, 2, 0, 1 }));

    /// <summary>ONNX's NCHW (m, n_C, n_H, n_W) back as images (n_H, n_W, n_C, m).</summary>
    public static string FromNchw(IOnnxWriter onnx, string x) => onnx.Add("Transpose", [x], ("perm", new long[] { 2, 3, 1, 0 }));

    /// <summary>
    /// ONNX's ReduceSum, ReduceMean or ReduceMax (<paramref name="kind"/>: Sum, Mean, Max) over the axes
    /// <paramref name="map"/> reduces, keeping them, then reshaped to the map's result when it drops them (or pads
    /// them with leading 1s): a reshape that moves no element, as the kept axes are 1. In opset 17 ReduceSum takes
    /// its axes as an input, the others as an attribute.
    /// </summary>
    public static OnnxLowering Reduce(string kind, AxisMap map)
    {
        long[] axes = [.. map.Reduced.Select(a => (long)a)];
        return (onnx, _, x) =>
        {
            if (axes.Length == 0) return onnx.Add("Identity", [x[0]]);
            var kept = kind == "Sum" ? onnx.Add("ReduceSum", [x[0], onnx.Int64s(axes)], ("keepdims", 1L))
                : onnx.Add("Reduce" + kind, [x[0]], ("axes", axes), ("keepdims", 1L));
            return map.Y.Rank == map.X.Rank ? kept : onnx.Add("Reshape", [kept, onnx.Int64s([.. map.Y.Dimensions.Select(d => (long)d)])]);
        };
    }

    /// <summary>
    /// y (the map's Y) repeated over the axes <paramref name="map"/> reduces to the shape of the second operand (the
    /// map's X): reshaped to X's rank with those axes 1 (a reshape that moves no element), then ONNX's Expand; for a
    /// mean's adjoint, divided by the count of X's elements per element of y.
    /// </summary>
    public static OnnxLowering Broadcast(AxisMap map, bool mean)
    {
        long[] kept = [.. map.Map.Select(k => k < 0 ? 1L : map.Y[k])];
        return (onnx, _, x) =>
        {
            var expanded = onnx.Add("Expand", [onnx.Add("Reshape", [x[0], onnx.Int64s(kept)]), onnx.Add("Shape", [x[1]])]);
            return mean ? onnx.Add("Div", [expanded, Size(onnx, x[1], x[0])]) : expanded;
        };
    }

    /// <summary>The number of elements of <paramref name="x"/> per element of <paramref name="per"/>, as a value of the export's type (1-D).</summary>
    public static string Size(IOnnxWriter onnx, string x, string per) =>
        onnx.Add("Div", [onnx.Add("Cast", [onnx.Add("Size", [x])], ("to", (long)onnx.ElementType)), onnx.Add("Cast", [onnx.Add("Size", [per])], ("to", (long)onnx.ElementType))]);

    /// <summary>
    /// <paramref name="x"/> of shape <paramref name="from"/> with the dims of <paramref name="to"/>, its storage order kept
    /// (GraphDiff's Reshape). When the last axis stays (the batch axis always does), ONNX's row-major Reshape keeps
    /// each storage row's elements in order too; otherwise the last axis is moved first around the Reshape.
    /// </summary>
    public static string ReshapeStorage(IOnnxWriter onnx, string x, Shape from, Shape to)
    {
        if (from == to) return x;
        int[] leading = to.Dimensions[..^1];
        if (from.Columns == to.Columns)
        {
            // The batch dimension m is read off x (Shape with start −1), so that m = 0 reshapes too.
            string dims = to.Columns == Shape.Batch
                ? onnx.Add("Concat", [onnx.Int64s([.. leading.Select(d => (long)d)]), onnx.Add("Shape", [x], ("start", -1L))], ("axis", 0L))
                : onnx.Int64s([.. to.Dimensions.Select(d => (long)d)]);
            return onnx.Add("Reshape", [x, dims]);
        }
        var lastFirst = onnx.Add("Transpose", [x], ("perm", LastFirst(from.Rank)));
        var reshaped = onnx.Add("Reshape", [lastFirst, onnx.Int64s([to.Columns, .. leading.Select(d => (long)d)])]);
        return onnx.Add("Transpose", [reshaped], ("perm", FirstLast(to.Rank)));
    }
}
