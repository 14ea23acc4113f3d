namespace GraphDiff.Nn;

/// <summary>The activation g of a layer, A = g(Z).</summary>
public enum Activation
{
    /// <summary>g(z) = z: a linear output (regression).</summary>
    Identity,
    /// <summary>σ(z): the output of binary classification.</summary>
    Sigmoid,
    /// <summary>tanh(z): the course's shallow network's hidden layer.</summary>
    Tanh,
    /// <summary>max(z, 0): the course's deep network's hidden layers.</summary>
    ReLU,
    /// <summary>max(z, αz) with a small slope α (0.01 by default).</summary>
    LeakyReLU,
    /// <summary>Softmax over each column: the output of multi-class classification.</summary>
    Softmax,
}

/// <summary>Applies activations as graph nodes.</summary>
public static class Activations
{
    /// <summary>The slope of <see cref="Activation.LeakyReLU"/> for negative inputs.</summary>
    public const double LeakySlope = 0.01;

    /// <summary>A = g(Z) as a node.</summary>
    public static Node Apply(this Activation activation, Node z)
    {
        ArgumentNullException.ThrowIfNull(z);
        return activation switch
        {
            Activation.Identity => z,
            Activation.Sigmoid => Op.Sigmoid(z),
            Activation.Tanh => Op.Tanh(z),
            Activation.ReLU => Op.ReLU(z),
            Activation.LeakyReLU => Op.LeakyReLU(z, LeakySlope),
            Activation.Softmax => Op.Softmax(z),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
        };
    }

    /// <summary>The course's upper-case name, as in <c>[LINEAR→RELU]</c>.</summary>
    public static string CourseName(this Activation activation) => activation.ToString().ToUpperInvariant();
}
