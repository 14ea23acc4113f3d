using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff.Tensors;

// The vectorised elementwise functions over spans: the built-in exp, log, σ, tanh, softplus and step run these.
public static partial class TensorMath
{
    /// <summary>
    /// <c>destination[i] = e^x[i]</c>, within 2 ulps of <see cref="Math.Exp"/>: +∞ above about 709.78, 0 below about
    /// −745.1 (subnormal results on the way), NaN for NaN. Vectorised at the CPU's widest register (512, 256 or 128
    /// bits), with the same algorithm one lane at a time for the tail, so an element's bits do not depend on the
    /// span's length or its place in it.
    /// </summary>
    /// <param name="x">The operands.</param>
    /// <param name="destination">At least <c>x.Length</c> long; its first <c>x.Length</c> elements are written. It may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>, or overlaps it other than exactly.</exception>
    public static void Exp(ReadOnlySpan<double> x, Span<double> destination) =>
        VectorMath.Exp(x, Checked(x, destination));

    /// <summary>
    /// <c>destination[i] = ln x[i]</c>, within 1 ulp of <see cref="Math.Log(double)"/> (measured; subnormals too): −∞ at
    /// ±0, NaN below 0 and for NaN, ∞ at ∞. Vectorised as <see cref="Exp(ReadOnlySpan{double}, Span{double})"/>,
    /// with the same bits whatever the span's length.
    /// </summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Log(ReadOnlySpan<double> x, Span<double> destination) =>
        VectorMath.Log(x, Checked(x, destination));

    /// <summary>
    /// <c>destination[i] = σ(x[i]) = 1 / (1 + e^(−x[i]))</c>, within 4 ulps, finite for every finite x (σ(−1000) = 0,
    /// σ(1000) = 1), NaN for NaN. Vectorised as <see cref="Exp(ReadOnlySpan{double}, Span{double})"/>, with the same bits whatever the span's length.
    /// </summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Sigmoid(ReadOnlySpan<double> x, Span<double> destination) =>
        VectorMath.Sigmoid(x, Checked(x, destination));

    /// <summary>
    /// <c>destination[i] = tanh x[i]</c>, within 4 ulps at every magnitude: tanh x = x for tiny x, the sign of −0
    /// kept, ±1 beyond |x| = 20, NaN for NaN. Computed as e/(e + 2) with e = expm1(2|x|), so nothing cancels near 0
    /// (<c>TensorPrimitives.Tanh</c> loses digits there).
    /// </summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Tanh(ReadOnlySpan<double> x, Span<double> destination) =>
        VectorMath.Tanh(x, Checked(x, destination));

    /// <summary>
    /// <c>destination[i] = softplus(x[i]) = log(1 + e^x[i])</c>, computed as max(x, 0) + log(1 + e^−|x|): within
    /// 4 ulps, finite for every finite x (softplus(1000) = 1000), NaN for NaN.
    /// </summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Softplus(ReadOnlySpan<double> x, Span<double> destination) =>
        VectorMath.Softplus(x, Checked(x, destination));

    /// <summary>
    /// <c>destination[i] = log(1 + e^−|x[i]|)</c>, the part of softplus that needs a logarithm, accurate for large |x|
    /// (at x = 700 it is 1e−304, not 0): what a loss computed from logits adds last, so that nothing cancels.
    /// NaN for NaN.
    /// </summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Log1pExpNegativeAbs(ReadOnlySpan<double> x, Span<double> destination) =>
        VectorMath.Log1pExpNegativeAbs(x, Checked(x, destination));

    /// <summary>
    /// <c>destination[i] = 1</c> where x[i] &gt; 0, <c>0</c> where x[i] ≤ 0 (so step(0) = 0), NaN where x[i] is NaN:
    /// ReLU's derivative, which must not mask a NaN into a zero gradient. Exact.
    /// </summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Step(ReadOnlySpan<double> x, Span<double> destination) =>
        VectorMath.Step(x, Checked(x, destination));

    /// <summary>The destination, once it is known to be long enough and not a shifted view of the operands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<T> Checked<T>(ReadOnlySpan<T> x, Span<T> destination)
    {
        if (destination.Length < x.Length || (x.Overlaps(destination, out int offset) && offset != 0)) ThrowDestination(x, destination);
        return destination;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDestination<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> destination)
    {
        if (destination.Length < x.Length)
            throw new ArgumentException($"The destination has {destination.Length} elements for {x.Length} operands.", nameof(destination));
        x.Overlaps(destination, out int offset);
        throw new ArgumentException($"The destination overlaps the operands shifted by {offset} elements; it must be the same span or a separate one.", nameof(destination));
    }
}
