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
