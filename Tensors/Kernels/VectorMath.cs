using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>
/// Vectorised transcendental kernels, written once over <see cref="ILanes{T}"/> and run with 512-bit lanes where
/// AVX-512 is available, 256-bit lanes on AVX2, 128-bit lanes on ARM64 (see <see cref="LaneWidth"/>), two registers a
/// step (<see cref="Twice{T, E}"/>), then one, then the same algorithm one lane at a time for the tail, so that an
/// element's result is identical whatever the array's length. (<c>TensorPrimitives.Exp&lt;double&gt;</c> ran at scalar
/// speed here, its tanh loses accuracy near 0, and its logarithm was 3 ulps off where this one is 1.)
/// </summary>
internal static class VectorMath
{
    /// <summary>y[i] = e^x[i], within 2 ulps of <see cref="Math.Exp"/>; overflows to +∞ above ~709.78, underflows to 0 below ~−745.1, NaN stays NaN.</summary>
    public static void Exp(ReadOnlySpan<double> x, Span<double> y) => Map<ExpKernel>(x, y);

    /// <summary>y[i] = 1 / (1 + e^(−x[i])), finite for every finite x.</summary>
    public static void Sigmoid(ReadOnlySpan<double> x, Span<double> y) => Map<SigmoidKernel>(x, y);

    /// <summary>
    /// y[i] = tanh x[i], accurate to a few ulps at every magnitude (tanh x = x for tiny x, the sign of −0 kept),
    /// computed as e/(e + 2) with e = expm1(2|x|) so that nothing cancels near 0.
    /// </summary>
    public static void Tanh(ReadOnlySpan<double> x, Span<double> y) => Map<TanhKernel>(x, y);

    /// <summary>y[i] = 1 where x[i] &gt; 0, 0 where x[i] ≤ 0, NaN where x[i] is NaN (so a NaN is never masked into a 0 gradient).</summary>
    public static void Step(ReadOnlySpan<double> x, Span<double> y) => Map<StepKernel>(x, y);

    /// <summary>y[i] = ln x[i], within 1 ulp of <see cref="Math.Log(double)"/> (measured); −∞ at ±0, NaN below 0 and for NaN, ∞ at ∞.</summary>
    public static void Log(ReadOnlySpan<double> x, Span<double> y) => Map<LogKernel>(x, y);

    /// <summary>y[i] = softplus(x[i]) = max(x, 0) + log(1 + e^−|x|), finite for every finite x. y may be x (in place).</summary>
    public static void Softplus(ReadOnlySpan<double> x, Span<double> y) => ThroughExpNegativeAbs<SoftplusKernel, double>(x, y);

    /// <summary>y[i] = log(1 + e^−|x[i]|), without rounding 1 + e^−|x| (1e−304 at x = 700, not 0).</summary>
    public static void Log1pExpNegativeAbs(ReadOnlySpan<double> x, Span<double> y) => ThroughExpNegativeAbs<Log1pKernel, double>(x, y);

    /// <summary>
    /// d[i] = x[i] ∘ y[i]; a scalar operand (<paramref name="xScalar"/>, <paramref name="yScalar"/>) is used for
    /// every element instead of its span, which may then be empty. <paramref name="d"/> may be x or y (in place).
    /// </summary>
    public static void Map<TKernel>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d, double? xScalar = null, double? yScalar = null)
        where TKernel : IBinaryKernel
    {
        if ((xScalar is null && x.Length < d.Length) || (yScalar is null && y.Length < d.Length))
            throw new ArgumentException("An operand is shorter than the destination.");
        var operands = new BinaryOperands(xScalar, yScalar);
        int i = 0;
        switch (LaneWidth.Current)
        {
            // Too short for a register (a scalar chain's 1×1 values): straight to the one-lane loop.
            case 512 when d.Length >= 8: MapLanes<TKernel, Lanes512>(x, y, d, operands, ref i); break;
            case 256 when d.Length >= 4: MapLanes<TKernel, Lanes256>(x, y, d, operands, ref i); break;
            case 128 when d.Length >= 2: MapLanes<TKernel, Lanes128>(x, y, d, operands, ref i); break;
        }
        MapLanes<TKernel, Lane1>(x, y, d, operands, ref i);
    }

    private readonly record struct BinaryOperands(double? X, double? Y);

    // A root of its own (never inlined into a caller), so that the whole kernel inlines into its loop within one method's budget.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void MapLanes<TKernel, T>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d, BinaryOperands scalars, ref int i)
        where TKernel : IBinaryKernel where T : struct, ILanes<T>, ILanesOf<T, double>
    {
        bool xIsScalar = scalars.X.HasValue, yIsScalar = scalars.Y.HasValue;
        T xs = T.Splat(scalars.X ?? 0), ys = T.Splat(scalars.Y ?? 0);
        for (; i <= d.Length - T.Count; i += T.Count)
            TKernel.Apply(xIsScalar ? xs : T.Load(x[i..]), yIsScalar ? ys : T.Load(y[i..])).Store(d[i..]);
    }

    /// <summary>y[i] = e^x[i] in float, within 1 ulp of the correctly rounded value for normal results (measured in the tests); +∞ above ~88.72, 0 below ~−103.97.</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> y) => MapSingle<ExpKernel>(x, y);

    /// <summary>y[i] = σ(x[i]) in float, within 2 ulps of the correctly rounded value (VectorMathSingleTests).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => MapSingle<SigmoidKernel>(x, y);

    /// <summary>y[i] = tanh x[i] in float, by the double kernel's cancellation-free form, within 3 ulps of the correctly rounded value (VectorMathSingleTests).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => MapSingle<TanhKernel>(x, y);

    /// <summary>The ReLU derivative in float: 1 where x[i] &gt; 0, 0 where x[i] ≤ 0, NaN stays NaN.</summary>
    public static void Step(ReadOnlySpan<float> x, Span<float> y) => MapSingle<StepKernel>(x, y);

    /// <summary>y[i] = ln x[i] in float, within 1 ulp of the correctly rounded value (VectorMathSingleTests).</summary>
    public static void Log(ReadOnlySpan<float> x, Span<float> y) => MapSingle<LogKernel>(x, y);

    /// <summary>y[i] = softplus(x[i]) in float, within 2 ulps of the correctly rounded value (VectorMathSingleTests).</summary>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> y) => ThroughExpNegativeAbs<SoftplusKernel, float>(x, y);

    /// <summary>y[i] = log(1 + e^−|x[i]|) in float.</summary>
    public static void Log1pExpNegativeAbs(ReadOnlySpan<float> x, Span<float> y) => ThroughExpNegativeAbs<Log1pKernel, float>(x, y);

    private const int Block = 512;   // elements of e^−|x| kept on the stack: in the L1 cache, and a multiple of every register pair

    /// <summary>
    /// y[i] = TKernel(x[i], e^−|x[i]|), a block at a time: e^−|x| into a block on the stack, then the kernel over x and
    /// it. Two loops, each small enough for the JIT to inline its whole kernel. y may be x (each element is read
    /// before it is written).
    /// </summary>
    private static void ThroughExpNegativeAbs<TKernel, E>(ReadOnlySpan<E> x, Span<E> y) where TKernel : IBinaryKernel where E : unmanaged
    {
        if (y.Length < x.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(y));
        Span<E> e = stackalloc E[Block];
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            if (typeof(E) == typeof(double))
            {
                var xs = MemoryMarshal.Cast<E, double>(x.Slice(start, n));
                var es = MemoryMarshal.Cast<E, double>(e[..n]);
                Map<ExpNegativeAbsKernel>(xs, es);
                Map<TKernel>(xs, es, MemoryMarshal.Cast<E, double>(y.Slice(start, n)));
            }
            else
            {
                var xs = MemoryMarshal.Cast<E, float>(x.Slice(start, n));
                var es = MemoryMarshal.Cast<E, float>(e[..n]);
                MapSingle<ExpNegativeAbsKernel>(xs, es);
                MapSingle<TKernel>(xs, es, MemoryMarshal.Cast<E, float>(y.Slice(start, n)));
            }
        }
    }

    private static void Map<TKernel>(ReadOnlySpan<double> x, ReadOnlySpan<double> e, Span<double> y) where TKernel : IBinaryKernel
    {
        int i = 0;
        switch (LaneWidth.Current)
        {
            case 512 when x.Length >= 8: MapPairs<TKernel, Lanes512, double>(x, e, y, ref i); break;
            case 256 when x.Length >= 4: MapPairs<TKernel, Lanes256, double>(x, e, y, ref i); break;
            case 128 when x.Length >= 2: MapPairs<TKernel, Lanes128, double>(x, e, y, ref i); break;
        }
        MapLanes<TKernel, Lane1, double>(x, e, y, ref i);
    }

    private static void MapSingle<TKernel>(ReadOnlySpan<float> x, ReadOnlySpan<float> e, Span<float> y) where TKernel : IBinaryKernel
    {
        int i = 0;
        switch (LaneWidth.Current)
        {
            case 512 when x.Length >= 16: MapPairs<TKernel, Lanes512F, float>(x, e, y, ref i); break;
            case 256 when x.Length >= 8: MapPairs<TKernel, Lanes256F, float>(x, e, y, ref i); break;
            case 128 when x.Length >= 4: MapPairs<TKernel, Lanes128F, float>(x, e, y, ref i); break;
        }
        MapLanes<TKernel, Lane1F, float>(x, e, y, ref i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MapPairs<TKernel, T, E>(ReadOnlySpan<E> x, ReadOnlySpan<E> e, Span<E> y, ref int i)
        where TKernel : IBinaryKernel where T : struct, ILanes<T>, ILanesOf<T, E> where E : unmanaged
    {
        MapLanes<TKernel, Twice<T, E>, E>(x, e, y, ref i);
        MapLanes<TKernel, T, E>(x, e, y, ref i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void MapLanes<TKernel, T, E>(ReadOnlySpan<E> x, ReadOnlySpan<E> e, Span<E> y, ref int i)
        where TKernel : IBinaryKernel where T : struct, ILanes<T>, ILanesOf<T, E> where E : unmanaged
    {
        int j = i, last = x.Length - T.Count;
        if (j > last) return;
        fixed (E* from = x, second = e, to = y)
        {
            for (; j <= last; j += T.Count) TKernel.Apply(T.Load(from + j), T.Load(second + j)).Store(to + j);
        }
        i = j;
    }

    private static void Map<TKernel>(ReadOnlySpan<double> x, Span<double> y) where TKernel : IUnaryKernel
    {
        if (y.Length < x.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(y));
        int i = 0;
        switch (LaneWidth.Current)
        {
            case 512 when x.Length >= 8: MapPairs<TKernel, Lanes512, double>(x, y, ref i); break;
            case 256 when x.Length >= 4: MapPairs<TKernel, Lanes256, double>(x, y, ref i); break;
            case 128 when x.Length >= 2: MapPairs<TKernel, Lanes128, double>(x, y, ref i); break;
        }
        MapLanes<TKernel, Lane1, double>(x, y, ref i);
    }

    private static void MapSingle<TKernel>(ReadOnlySpan<float> x, Span<float> y) where TKernel : IUnaryKernel
    {
        if (y.Length < x.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(y));
        int i = 0;
        switch (LaneWidth.Current)
        {
            case 512 when x.Length >= 16: MapPairs<TKernel, Lanes512F, float>(x, y, ref i); break;
            case 256 when x.Length >= 8: MapPairs<TKernel, Lanes256F, float>(x, y, ref i); break;
            case 128 when x.Length >= 4: MapPairs<TKernel, Lanes128F, float>(x, y, ref i); break;
        }
        MapLanes<TKernel, Lane1F, float>(x, y, ref i);
    }

    /// <summary>Two registers at a time (<see cref="Twice{T, E}"/>), then one for what is left of a register pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MapPairs<TKernel, T, E>(ReadOnlySpan<E> x, Span<E> y, ref int i)
        where TKernel : IUnaryKernel where T : struct, ILanes<T>, ILanesOf<T, E> where E : unmanaged
    {
        MapLanes<TKernel, Twice<T, E>, E>(x, y, ref i);
        MapLanes<TKernel, T, E>(x, y, ref i);
    }

    // A root of its own (never inlined into a caller), so that the whole kernel inlines into its loop within one method's
    // budget; through pointers with the index in a local, so that no bounds check or store of i sits in the loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void MapLanes<TKernel, T, E>(ReadOnlySpan<E> x, Span<E> y, ref int i)
        where TKernel : IUnaryKernel where T : struct, ILanes<T>, ILanesOf<T, E> where E : unmanaged
    {
        int j = i, last = x.Length - T.Count;
        if (j > last) return;
        fixed (E* from = x, to = y)
        {
            for (; j <= last; j += T.Count) TKernel.Apply(T.Load(from + j)).Store(to + j);
        }
        i = j;
    }
}
