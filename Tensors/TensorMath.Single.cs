using System.Numerics.Tensors;
using GraphDiff.Kernels;

namespace GraphDiff.Tensors;

// The float32 forms of the built-ins' kernels (issue #21): the same algorithms on twice the lanes per register.
// Measured bounds against the double functions rounded to float are in Tensors/DESIGN.md (VectorMathSingleTests).
public static partial class TensorMath
{
    /// <summary>
    /// <c>C = α·op(A)·op(B) + β·C</c> in float, as the double <see cref="MatrixMultiply(Tensor, Tensor, Tensor, bool, bool, double, double)"/>
    /// (same rules for shapes, β = 0 and overlap); every size takes the packed, register-blocked path, split across
    /// cores above about 2·10⁶ multiply-adds. An element can differ from the double product of the same floats by
    /// a few float ulps times k (relative to Σ|a·b|).
    /// </summary>
    /// <param name="a">A, stored m×k (or k×m when <paramref name="transposeA"/>).</param>
    /// <param name="b">B, stored k×n (or n×k when <paramref name="transposeB"/>).</param>
    /// <param name="c">C, m×n: read when <paramref name="beta"/> ≠ 0, then overwritten with the result.</param>
    /// <param name="transposeA">Use Aᵀ.</param>
    /// <param name="transposeB">Use Bᵀ.</param>
    /// <param name="alpha">The product's factor α.</param>
    /// <param name="beta">C's factor β.</param>
    /// <exception cref="ArgumentNullException">A tensor is <c>default</c>.</exception>
    /// <exception cref="ArgumentException">The shapes do not fit (the message gives every shape), or C overlaps A or B.</exception>
    public static void MatrixMultiply(Tensor<float> a, Tensor<float> b, Tensor<float> c, bool transposeA = false, bool transposeB = false, float alpha = 1f, float beta = 0f)
    {
        var (m, n, k) = CheckProduct(a, b, c, transposeA, transposeB);
        Gemm.Multiply(m, n, k, alpha, a.Array, a.Offset, Math.Max(1, a.Stride), transposeA, b.Array, b.Offset, Math.Max(1, b.Stride), transposeB,
            beta, c.Array, c.Offset, Math.Max(1, c.Stride), GemmOptions.Default);
    }

    /// <summary>
    /// The float form of <see cref="MatrixMultiply(Tensor, Tensor, Tensor, bool, bool, double, Action{int, int, int})"/>:
    /// <c>C = α·op(A)·op(B)</c>, each run of final columns reported to <paramref name="columnsFinished"/>(part, first, end).
    /// </summary>
    /// <inheritdoc cref="MatrixMultiply(Tensor, Tensor, Tensor, bool, bool, double, Action{int, int, int})" path="/remarks|/param|/exception"/>
    public static void MatrixMultiply(Tensor<float> a, Tensor<float> b, Tensor<float> c, bool transposeA, bool transposeB, float alpha, Action<int, int, int> columnsFinished)
    {
        ArgumentNullException.ThrowIfNull(columnsFinished);
        var (m, n, k) = CheckProduct(a, b, c, transposeA, transposeB);
        Gemm.Multiply(m, n, k, alpha, a.Array, a.Offset, Math.Max(1, a.Stride), transposeA, b.Array, b.Offset, Math.Max(1, b.Stride), transposeB,
            0f, c.Array, c.Offset, Math.Max(1, c.Stride), GemmOptions.Default, columnsFinished);
    }

    /// <summary><c>destination[i] = e^x[i]</c> in float, within 1 ulp: +∞ above about 88.72, 0 below about −103.97, NaN for NaN.</summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Exp(ReadOnlySpan<float> x, Span<float> destination) => VectorMath.Exp(x, Checked(x, destination));

    /// <summary><c>destination[i] = ln x[i]</c> in float, within 1 ulp of the correctly rounded value: −∞ at ±0, NaN below 0 and for NaN, ∞ at ∞.</summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Log(ReadOnlySpan<float> x, Span<float> destination) => VectorMath.Log(x, Checked(x, destination));

    /// <summary><c>destination[i] = σ(x[i])</c> in float, within 2 ulps, finite for every finite x, NaN for NaN.</summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination) => VectorMath.Sigmoid(x, Checked(x, destination));

    /// <summary><c>destination[i] = tanh x[i]</c> in float, within 3 ulps, the sign of −0 kept, NaN for NaN.</summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> destination) => VectorMath.Tanh(x, Checked(x, destination));

    /// <summary><c>destination[i] = log(1 + e^x[i])</c> in float, within 3 ulps, finite for every finite x.</summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> destination) => VectorMath.Softplus(x, Checked(x, destination));

    /// <summary>The ReLU derivative in float: 1 where x[i] &gt; 0, 0 where x[i] ≤ 0, NaN for NaN.</summary>
    /// <inheritdoc cref="Exp(ReadOnlySpan{double}, Span{double})" path="/param|/exception"/>
    public static void Step(ReadOnlySpan<float> x, Span<float> destination) => VectorMath.Step(x, Checked(x, destination));
}
