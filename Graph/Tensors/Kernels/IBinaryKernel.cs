namespace GraphDiff.Kernels;

/// <summary>
/// An elementwise binary operation as an operator struct (the <c>System.Numerics.Tensors</c> pattern): its
/// vectorised forms for span∘span, span∘number and number∘span, and the scalar form. Generic code over an
/// operator struct compiles to direct calls, with no per-element delegate.
/// </summary>
public interface IBinaryKernel
{
    /// <summary>d[i] = x[i] ∘ y[i].</summary>
    static abstract void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d);
    /// <summary>d[i] = x[i] ∘ y.</summary>
    static abstract void Apply(ReadOnlySpan<double> x, double y, Span<double> d);
    /// <summary>d[i] = x ∘ y[i].</summary>
    static abstract void Apply(double x, ReadOnlySpan<double> y, Span<double> d);
    /// <summary>x ∘ y.</summary>
    static abstract double Apply(double x, double y);
}
