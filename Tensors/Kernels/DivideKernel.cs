namespace GraphDiff.Kernels;

/// <summary>x / y.</summary>
internal readonly struct DivideKernel : IBinaryKernel
{
    public static T Apply<T>(T x, T y) where T : struct, ILanes<T> => x / y;
}
