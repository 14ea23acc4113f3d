using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>
/// A fully connected layer in the course's shapes: W[l] is (n[l], n[l−1]), b[l] is (n[l], 1),
/// Z[l] = W[l]·A[l−1] + b[l] (b broadcast across the m columns) and A[l] = g(Z[l]).
/// </summary>
public sealed class DenseLayer
{
    internal DenseLayer(int index, int inputSize, int outputSize, Activation activation, Initialization initialization, Random random)
    {
        if (inputSize <= 0 || outputSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), $"Layer {index}: sizes must be positive, got n[{index - 1}] = {inputSize}, n[{index}] = {outputSize}.");
        new Shape(outputSize, inputSize).EnsureFits($"Layer {index}: W{index}");
        Index = index;
        Activation = activation;
        W = Graph.Variable($"W{index}", Initializer.Weights(initialization, outputSize, inputSize, random));
        B = Graph.Variable($"b{index}", new DenseMatrix(outputSize, 1));
    }

    /// <summary>The layer number l (1 for the first layer after the input).</summary>
    public int Index { get; }

    /// <summary>The weights W[l], (n[l], n[l−1]).</summary>
    public Variable W { get; }

    /// <summary>The bias b[l], (n[l], 1).</summary>
    public Variable B { get; }

    /// <summary>The activation g[l].</summary>
    public Activation Activation { get; }

    /// <summary>n[l−1], the number of inputs.</summary>
    public int InputSize => W.Shape.Columns;

    /// <summary>n[l], the number of units.</summary>
    public int OutputSize => W.Shape.Rows;

    /// <summary>Builds Z[l] = W[l]·A[l−1] + b[l] and A[l] = g(Z[l]) as named nodes.</summary>
    public (Node Z, Node A) Forward(Node previous)
    {
        var z = (Op.MatMul(W, previous) + B).Named($"Z{Index}");
        var a = Activation.Operation is null ? z : Activation.Apply(z).Named($"A{Index}");
        return (z, a);
    }

    /// <summary>E.g. <c>[LINEAR→RELU]  W1: 128×784  b1: 128×1</c>.</summary>
    public override string ToString() => $"[LINEAR→{Activation.CourseName}]  W{Index}: {W.Shape}  b{Index}: {B.Shape}";
}
