using System.Numerics.Tensors;

namespace GraphDiff.Kernels;

/// <summary>x + y.</summary>
public readonly struct AddKernel : IBinaryKernel
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

/// <summary>x − y.</summary>
public readonly struct SubtractKernel : IBinaryKernel
{
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) => TensorPrimitives.Subtract(x, y, d);
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) => TensorPrimitives.Subtract(x, y, d);
    /// <inheritdoc />
    public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) => TensorPrimitives.Subtract(x, y, d);
    /// <inheritdoc />
    public static double Apply(double x, double y) => x - y;
}

/// <summary>x · y (elementwise).</summary>
public readonly struct MultiplyKernel : IBinaryKernel
{
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) => TensorPrimitives.Multiply(x, y, d);
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) => TensorPrimitives.Multiply(x, y, d);
    /// <inheritdoc />
    public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) => TensorPrimitives.Multiply(y, x, d);
    /// <inheritdoc />
    public static double Apply(double x, double y) => x * y;
}

/// <summary>x / y.</summary>
public readonly struct DivideKernel : IBinaryKernel
{
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) => TensorPrimitives.Divide(x, y, d);
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) => TensorPrimitives.Divide(x, y, d);
    /// <inheritdoc />
    public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) => TensorPrimitives.Divide(x, y, d);
    /// <inheritdoc />
    public static double Apply(double x, double y) => x / y;
}
