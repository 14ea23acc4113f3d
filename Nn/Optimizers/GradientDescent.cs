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

internal static class Optimizers
{
    public static double CheckLearningRate(double learningRate) =>
        learningRate > 0 && double.IsFinite(learningRate)
            ? learningRate
            : throw new ArgumentOutOfRangeException(nameof(learningRate), $"The learning rate must be positive and finite, got {learningRate}.");

    /// <summary>Per-parameter buffers of the parameters' shapes, created on the first update.</summary>
    public static double[][] State(double[][]? state, IReadOnlyList<Variable> parameters)
    {
        if (state is not null && state.Length == parameters.Count) return state;
        return parameters.Select(p => new double[p.Shape.Rows * p.Shape.Columns]).ToArray();
    }
}
