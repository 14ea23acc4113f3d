using System.Numerics;
using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff.Tensors;

// The vectorised functions one register at a time: for a loop that runs a chain of elementwise functions in one pass
// (GraphDiff's generated code does), keeping every intermediate value in registers. Each lane gets exactly the bits the
// span form gives its element, so such a loop computes what the functions computed one after the other.
public static partial class TensorMath
{
    /// <summary>e^x in each lane: the bits <see cref="Exp(ReadOnlySpan{double}, Span{double})"/> gives each element.</summary>
    /// <param name="x">A register of operands (<see cref="Vector{T}"/>: 256 bits on AVX2 and AVX-512 machines, 128 on ARM64).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Exp(Vector<double> x) => OnRegister<ExpKernel, double>(x);

    /// <inheritdoc cref="Exp(Vector{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x) => OnRegister<ExpKernel, float>(x);

    /// <summary>ln x in each lane: the bits <see cref="Log(ReadOnlySpan{double}, Span{double})"/> gives each element.</summary>
    /// <inheritdoc cref="Exp(Vector{double})" path="/param"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Log(Vector<double> x) => OnRegister<LogKernel, double>(x);

    /// <inheritdoc cref="Log(Vector{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log(Vector<float> x) => OnRegister<LogKernel, float>(x);

    /// <summary>σ(x) in each lane: the bits <see cref="Sigmoid(ReadOnlySpan{double}, Span{double})"/> gives each element.</summary>
    /// <inheritdoc cref="Exp(Vector{double})" path="/param"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Sigmoid(Vector<double> x) => OnRegister<SigmoidKernel, double>(x);

    /// <inheritdoc cref="Sigmoid(Vector{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x) => OnRegister<SigmoidKernel, float>(x);

    /// <summary>tanh x in each lane: the bits <see cref="Tanh(ReadOnlySpan{double}, Span{double})"/> gives each element.</summary>
    /// <inheritdoc cref="Exp(Vector{double})" path="/param"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Tanh(Vector<double> x) => OnRegister<TanhKernel, double>(x);

    /// <inheritdoc cref="Tanh(Vector{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x) => OnRegister<TanhKernel, float>(x);

    /// <summary>softplus(x) in each lane: the bits <see cref="Softplus(ReadOnlySpan{double}, Span{double})"/> gives each element.</summary>
    /// <inheritdoc cref="Exp(Vector{double})" path="/param"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Softplus(Vector<double> x) => OnRegister<SoftplusWhole, double>(x);

    /// <inheritdoc cref="Softplus(Vector{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Softplus(Vector<float> x) => OnRegister<SoftplusWhole, float>(x);

    /// <summary>[x &gt; 0] in each lane, NaN kept: the bits <see cref="Step(ReadOnlySpan{double}, Span{double})"/> gives each element.</summary>
    /// <inheritdoc cref="Exp(Vector{double})" path="/param"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Step(Vector<double> x) => OnRegister<StepKernel, double>(x);

    /// <inheritdoc cref="Step(Vector{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Step(Vector<float> x) => OnRegister<StepKernel, float>(x);

    // The kernel on the lanes of Vector<E>'s width (a constant the JIT folds): the same algorithm the span forms run.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<E> OnRegister<TKernel, E>(Vector<E> x) where TKernel : IUnaryKernel where E : unmanaged
    {
        if (typeof(E) == typeof(double))
            return Unsafe.SizeOf<Vector<E>>() switch
            {
                64 => Apply<TKernel, Lanes512, E>(x),
                32 => Apply<TKernel, Lanes256, E>(x),
                _ => Apply<TKernel, Lanes128, E>(x),
            };
        return Unsafe.SizeOf<Vector<E>>() switch
        {
            64 => Apply<TKernel, Lanes512F, E>(x),
            32 => Apply<TKernel, Lanes256F, E>(x),
            _ => Apply<TKernel, Lanes128F, E>(x),
        };
    }

    // A root of its own, as the span forms' loops are: the whole kernel inlines into it within one method's budget.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static Vector<E> Apply<TKernel, TLanes, E>(Vector<E> x) where TKernel : IUnaryKernel where TLanes : struct, ILanes<TLanes> where E : unmanaged =>
        Unsafe.BitCast<TLanes, Vector<E>>(TKernel.Apply(Unsafe.BitCast<Vector<E>, TLanes>(x)));

    /// <summary>Softplus as its span form computes it, e^−|x| first, then the rest, on one register.</summary>
    private readonly struct SoftplusWhole : IUnaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Apply<T>(T x) where T : struct, ILanes<T> => SoftplusKernel.Apply(x, ExpNegativeAbsKernel.Apply(x));
    }
}
