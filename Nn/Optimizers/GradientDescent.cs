using System.Numerics.Tensors;

namespace GraphDiff.Nn;

/// <summary>The course's gradient descent: θ := θ − α·dθ.</summary>
/// <param name="learningRate">α, e.g. 0.0075 for the course's deep network.</param>
public sealed class GradientDescent(double learningRate) : IOptimizer
{
    /// <inheritdoc />
    public double LearningRate { get; set => field = Optimizers.CheckLearningRate(value); } = Optimizers.CheckLearningRate(learningRate);

    /// <inheritdoc />
    public void Update(IReadOnlyList<Variable> parameters, IReadOnlyList<Tensor> gradients)
    {
        for (int k = 0; k < parameters.Count; k++)
        {
            var theta = Tensor.Of(parameters[k].Value).Span;
            TensorPrimitives.MultiplyAdd(gradients[k].Span, -LearningRate, theta, theta);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"gradient descent (α = {LearningRate:G4})";
}
