namespace GraphDiff.Kernels;

/// <summary>
/// An elementwise binary function written against <see cref="ILanes{T}"/> (the <c>System.Numerics.Tensors</c>
/// operator-struct pattern): generic code over it compiles to direct calls with no per-element delegate, and
/// the same function serves every register width and the scalar tail.
/// </summary>
internal interface IBinaryKernel
{
    static abstract T Apply<T>(T x, T y) where T : struct, ILanes<T>;
}
