using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Nn;

/// <summary>The course's gradient descent: θ := θ − α·dθ.</summary>
/// <param name="learningRate">α, e.g. 0.0075 for the course's deep network.</param>
public sealed class GradientDescent(double learningRate) : IOptimizer
{
    /// <inheritdoc />
    public double LearningRate { get; } = Optimizers.CheckLearningRate(learningRate);

    /// <inheritdoc />
    public void Update(IReadOnlyList<Variable> parameters, IReadOnlyList<Matrix<double>> gradients)
    {
        for (int k = 0; k < parameters.Count; k++)
        {
            var theta = Dense.Storage(parameters[k].Value);
            TensorPrimitives.MultiplyAdd(Dense.Storage(gradients[k]), -LearningRate, theta, theta);
        }
    }

    /// <inheritdoc />
    public IOptimizer Fresh() => new GradientDescent(LearningRate);

    /// <inheritdoc />
    public override string ToString() => $"gradient descent (α = {LearningRate:G4})";
}
