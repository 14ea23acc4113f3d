namespace GraphDiff.Nn;

/// <summary>Applies activations as graph nodes.</summary>
internal static class Activations
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
