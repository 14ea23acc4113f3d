using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Kernels;

/// <summary>General matrix multiply C := α·op(A)·op(B) + β·C on column-major dense storage.</summary>
public static class Gemm
{
    /// <summary>
    /// C := α·op(A)·op(B) + β·C, where op transposes when asked, without materialising a transpose.
    /// With β = 0, C's previous contents are ignored (even NaN).
    /// </summary>
    public static void Multiply(double alpha, Matrix<double> a, bool transposeA, Matrix<double> b, bool transposeB, double beta, Matrix<double> c)
    {
        var product = (transposeA, transposeB) switch
        {
            (false, false) => a.Multiply(b),
            (true, false) => a.TransposeThisAndMultiply(b),
            (false, true) => a.TransposeAndMultiply(b),
            (true, true) => b.Multiply(a).Transpose(),
        };
        if (beta == 0) product.Multiply(alpha, c);
        else { c.Multiply(beta, c); c.Add(product.Multiply(alpha), c); }
    }
}
