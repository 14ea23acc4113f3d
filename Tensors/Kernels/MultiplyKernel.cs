namespace GraphDiff.Kernels;

/// <summary>x · y (elementwise).</summary>
internal readonly struct MultiplyKernel : IBinaryKernel
{
    public static T Apply<T>(T x, T y) where T : struct, ILanes<T> => x * y;
}
