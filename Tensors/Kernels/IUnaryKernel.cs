namespace GraphDiff.Kernels;

/// <summary>An elementwise function written against <see cref="ILanes{T}"/>.</summary>
internal interface IUnaryKernel
{
    static abstract T Apply<T>(T x) where T : struct, ILanes<T>;
}
