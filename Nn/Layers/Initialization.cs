using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>How a layer's weights W[l] start (biases b[l] always start at zero).</summary>
public enum Initialization
{
    /// <summary>
    /// All zeros. Fine for logistic regression, which has no hidden units. In a hidden layer it fails: every
    /// unit computes the same function and receives the same gradient, so the units never become different
    /// (the symmetry is never broken) and the layer behaves like a single unit.
    /// </summary>
    Zeros,
    /// <summary>Standard normal ×0.01, the course's first choice for the shallow network.</summary>
    SmallRandom,
    /// <summary>He: normal with variance 2/n[l−1], for ReLU layers.</summary>
    He,
    /// <summary>Xavier: normal with variance 1/n[l−1], for tanh and sigmoid layers.</summary>
    Xavier,
}
