using System.Numerics.Tensors;

namespace GraphDiff.Kernels;

/// <summary>x + y.</summary>
internal readonly struct AddKernel : IBinaryKernel
{
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) => TensorPrimitives.Add(x, y, d);
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) => TensorPrimitives.Add(x, y, d);
    /// <inheritdoc />
    public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) => TensorPrimitives.Add(y, x, d);
    /// <inheritdoc />
    public static double Apply(double x, double y) => x + y;
}
