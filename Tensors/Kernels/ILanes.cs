using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>
/// The arithmetic a vectorised elementwise kernel needs, over one register width, of doubles or of floats (loads and
/// stores are <see cref="ILanesOf{TSelf, T}"/>). A kernel written once against
/// this interface runs on 512-bit, 256-bit (AVX2) and single lanes; every operation rounds the same way at every
/// width (fused multiply-add included), so an element's result never depends on the array's size or on where
/// the element falls (vector body or scalar tail).
/// </summary>
internal interface ILanes<T> where T : struct, ILanes<T>
{
    /// <summary>Whether the lanes hold floats: kernels pick their constants and ranges by it (a constant, folded when compiled).</summary>
    static abstract bool IsSingle { get; }
    /// <summary>Every lane set to <paramref name="value"/> (rounded to float for float lanes).</summary>
    static abstract T Splat(double value);
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator *(T a, T b);
    static abstract T operator /(T a, T b);
    /// <summary>a·b + c with one rounding.</summary>
    static abstract T Fma(T a, T b, T c);
    static abstract T Min(T a, T b);
    static abstract T Max(T a, T b);
    static abstract T Abs(T a);
    /// <summary>Round to the nearest integer, ties to even.</summary>
    static abstract T Round(T a);
    /// <summary>2^k for integral k in [−1022, 1023] (float: [−126, 127]), built from the exponent bits.</summary>
    static abstract T Pow2(T k);
    /// <summary>
    /// 2^k from <paramref name="biased"/> = k + <see cref="LaneBits.Shifter"/> (float: <see cref="LaneBits.ShifterSingle"/>),
    /// the sum a fused multiply-add leaves when it rounds x·log₂e to an integer: its low bits, shifted into the exponent,
    /// for k in [−1022, 1023] (float: [−126, 127]).
    /// </summary>
    static abstract T Pow2Biased(T biased);
    /// <summary>
    /// x = m·2^k with m in [√½, √2) and k integral, for positive normal x (other lanes give meaningless m and k), from
    /// the bits: the exponent field once √½'s bits are subtracted, so that the mantissa's upper half moves up one binade.
    /// </summary>
    static abstract T Normalize(T x, out T k);
    /// <summary>Whether every lane of <paramref name="a"/> is below <paramref name="bound"/> (false where a lane is NaN): a kernel's test for its fast path.</summary>
    static abstract bool AllBelow(T a, T bound);
    /// <summary>|magnitude| with the sign of <paramref name="sign"/>.</summary>
    static abstract T CopySign(T magnitude, T sign);
    /// <summary><paramref name="whenGreater"/> where a &gt; b, else <paramref name="otherwise"/> (NaN compares false).</summary>
    static abstract T IfGreater(T a, T b, T whenGreater, T otherwise);
    /// <summary><paramref name="x"/> where it is NaN, else <paramref name="result"/>: NaN in, NaN out.</summary>
    static abstract T KeepNaN(T x, T result);
}
