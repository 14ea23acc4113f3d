using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>
/// Vectorised transcendental kernels where <see cref="TensorPrimitives"/> is slow for doubles on this runtime
/// (its <c>Exp</c> measured at scalar speed here). Results agree with <see cref="Math.Exp"/> to a couple of ulps.
/// </summary>
public static class VectorMath
{
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 0.693147180369123816490;      // ln 2 split so that k·Ln2Hi is exact
    private const double Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>y[i] = e^x[i]; overflows to +∞ above ~709.78, underflows to 0 below ~−745.1, NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exp(ReadOnlySpan<double> x, Span<double> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(y));
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= x.Length - 8; i += 8) Exp(Vector512.Create(x.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        for (; i < x.Length; i++) y[i] = Math.Exp(x[i]);
    }

    /// <summary>y[i] = 1 / (1 + e^(−x[i])), finite for every finite x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sigmoid(ReadOnlySpan<double> x, Span<double> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("The destination is shorter than the source.", nameof(y));
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512<double>.One;
            for (; i <= x.Length - 8; i += 8) (one / (one + Exp(-Vector512.Create(x.Slice(i, 8))))).CopyTo(y.Slice(i, 8));
        }
        for (; i < x.Length; i++) y[i] = 1 / (1 + Math.Exp(-x[i]));
    }

    /// <summary>
    /// e^x by range reduction x = k·ln2 + r, |r| ≤ ln2/2, a degree-13 Taylor polynomial for e^r (truncation below
    /// 1e−17), and scaling by 2^k in two halves so that subnormal results and overflow come out right.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector512<double> Exp(Vector512<double> x)
    {
        var clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(-746.0)), Vector512.Create(710.0));
        var k = Vector512.Round(clamped * Vector512.Create(Log2E));
        var r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Lo), Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Hi), clamped));

        var p = Vector512.Create(1.0 / 6227020800.0);                          // 1/13!
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 479001600.0));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 39916800.0));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 3628800.0));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 362880.0));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 40320.0));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 5040.0));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 720.0));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 120.0));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 24.0));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 6.0));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);

        var ki = Vector512.ConvertToInt64(k);
        var half = Vector512.ShiftRightArithmetic(ki, 1);
        var scale1 = Vector512.ShiftLeft(half + Vector512.Create(1023L), 52).AsDouble();
        var scale2 = Vector512.ShiftLeft(ki - half + Vector512.Create(1023L), 52).AsDouble();
        var result = p * scale1 * scale2;
        // NaN in, NaN out (the clamp above would have turned it into a number).
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }
}
