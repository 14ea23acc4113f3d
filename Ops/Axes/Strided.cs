using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>One run of a strided walk: <c>n</c> elements at offsets a + t·stepA (and b + t·stepB), t &lt; n.</summary>
internal interface IStridedRun
{
    void Run(long a, long b, int n, long stepA, long stepB);
}

/// <summary>
/// The axis operations' one kernel: a walk over every index of a box of dimensions, with two offsets that move by
/// their own stride per axis (an output and an operand, or an operand and its reduction). Strides come from the
/// storage rule (<see cref="Strides"/>): a value of shape (d₁, …, d_k, c) is column-major Rows×c, the leading axes
/// row-major in a column; a stride of 0 repeats (broadcast) or accumulates (reduce). The walk is sequential, so a
/// sum's order, hence its bits, never depends on threads.
/// </summary>
internal static class Strided
{
    /// <summary>The dimensions of <paramref name="shape"/> with the batch dimension m replaced by <paramref name="m"/>.</summary>
    public static int[] Resolve(Shape shape, int m) => [.. shape.Dimensions.Select(d => d == Shape.Batch ? m : d)];

    /// <summary>The batch size of a value of <paramref name="shape"/> held in <paramref name="value"/> (0 when it has no batch dimension).</summary>
    public static int BatchOf(Shape shape, Tensor value) =>
        shape.Columns == Shape.Batch ? value.Columns : shape.Rows == Shape.Batch ? value.Rows : 0;

    /// <summary>The storage stride of each axis: the last axis moves by Rows (a column), a leading axis by the product of the leading axes after it.</summary>
    public static long[] Strides(int[] dims)
    {
        var strides = new long[dims.Length];
        long s = 1;
        for (int a = dims.Length - 2; a >= 0; a--) { strides[a] = s; s *= dims[a]; }
        strides[^1] = s;
        return strides;
    }

    /// <summary>The axes in storage order, outermost first: the last axis, then the leading axes in order.</summary>
    public static int[] StorageOrder(int rank) => [rank - 1, .. Enumerable.Range(0, rank - 1)];

    /// <summary>The axes in the logical row-major order, outermost first (the last axis fastest).</summary>
    public static int[] LogicalOrder(int rank) => [.. Enumerable.Range(0, rank)];

    /// <summary>
    /// Calls <paramref name="run"/> for every index of <paramref name="dims"/> taken in <paramref name="order"/>
    /// (outermost first), the last of the order as the runs' length; nothing when some dimension is 0.
    /// </summary>
    public static void Walk<T>(int[] order, int[] dims, long[] strideA, long[] strideB, long a, long b, ref T run)
        where T : IStridedRun, allows ref struct
    {
        int r = order.Length;
        foreach (int k in order) if (dims[k] == 0) return;
        Span<int> index = stackalloc int[r];
        int inner = order[r - 1];
        while (true)
        {
            run.Run(a, b, dims[inner], strideA[inner], strideB[inner]);
            int p = r - 2;
            for (; p >= 0; p--)
            {
                int k = order[p];
                a += strideA[k];
                b += strideB[k];
                if (++index[p] < dims[k]) break;
                a -= strideA[k] * dims[k];
                b -= strideB[k] * dims[k];
                index[p] = 0;
            }
            if (p < 0) return;
        }
    }

    /// <summary>Copies from an operand (offsets a) into an output (offsets b).</summary>
    public ref struct Copy(ReadOnlySpan<double> from, Span<double> to) : IStridedRun
    {
        private readonly ReadOnlySpan<double> from = from;
        private readonly Span<double> to = to;

        public readonly void Run(long a, long b, int n, long stepA, long stepB)
        {
            if (stepA == 1 && stepB == 1) { from.Slice((int)a, n).CopyTo(to.Slice((int)b, n)); return; }
            for (int t = 0; t < n; t++, a += stepA, b += stepB) to[(int)b] = from[(int)a];
        }
    }

    /// <summary>Adds (or takes the maximum of) an operand (offsets a) into its reduction (offsets b).</summary>
    public ref struct Accumulate(ReadOnlySpan<double> from, Span<double> to, bool max) : IStridedRun
    {
        private readonly ReadOnlySpan<double> from = from;
        private readonly Span<double> to = to;

        public readonly void Run(long a, long b, int n, long stepA, long stepB)
        {
            if (max)
                for (int t = 0; t < n; t++, a += stepA, b += stepB) to[(int)b] = Math.Max(to[(int)b], from[(int)a]);
            else
                for (int t = 0; t < n; t++, a += stepA, b += stepB) to[(int)b] += from[(int)a];
        }
    }
}
