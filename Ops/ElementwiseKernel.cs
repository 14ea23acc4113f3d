using System.Runtime.CompilerServices;

namespace GraphDiff;

/// <summary>A forward kernel of an elementwise operation: y[i] = f(x[i]) over spans of equal length.</summary>
public delegate void ElementwiseKernel(ReadOnlySpan<double> x, Span<double> y);
