namespace GraphDiff.Kernels;

/// <summary>Which micro-kernel a matrix product uses.</summary>
internal enum GemmKernel
{
    /// <summary>The widest the CPU runs well: <see cref="Vector512"/> with AVX-512, else <see cref="Vector256"/> with AVX2+FMA, else <see cref="Vector128"/> where 128-bit vectors are accelerated (ARM64), else <see cref="Scalar"/>.</summary>
    Auto,
    /// <summary>Plain scalar code; runs everywhere.</summary>
    Scalar,
    /// <summary>A 4×6 register block of 128-bit FMA vectors (2 doubles each): ARM64's AdvSimd, and SSE on x86.</summary>
    Vector128,
    /// <summary>A 8×6 register block of 256-bit FMA vectors (4 doubles each).</summary>
    Vector256,
    /// <summary>A 24×8 register block of 512-bit FMA vectors (8 doubles each).</summary>
    Vector512,
}
