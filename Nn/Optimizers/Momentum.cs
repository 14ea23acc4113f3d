using System.Numerics.Tensors;

namespace GraphDiff.Nn;

/// <summary>
/// Gradient descent with momentum, in the course's form: v := β·v + (1 − β)·dθ, θ := θ − α·v
/// (an exponentially weighted average of past gradients).
/// </summary>
public sealed class Momentum : IOptimizer
{
    private double[][]? velocity;

    /// <summary>Creates the optimiser; β = 0.9 averages over about the last 10 gradients.</summary>
    public Momentum(double learningRate, double beta = 0.9)
    {
        LearningRate = Optimizers.CheckLearningRate(learningRate);
        Beta = beta is >= 0 and < 1 ? beta : throw new ArgumentOutOfRangeException(nameof(beta), $"β must be in [0, 1), got {beta}.");
    }

    /// <inheritdoc />
    public double LearningRate { get; set => field = Optimizers.CheckLearningRate(value); }

    /// <summary>The averaging factor β.</summary>
    public double Beta { get; }

    /// <inheritdoc />
    public void Update(IReadOnlyList<Variable> parameters, IReadOnlyList<Tensor> gradients)
    {
        velocity = Optimizers.State(velocity, parameters);
        for (int k = 0; k < parameters.Count; k++)
        {
            var v = velocity[k];
            var theta = Tensor.Of(parameters[k].Value).Span;
            TensorPrimitives.Multiply(v, Beta, v);
            TensorPrimitives.MultiplyAdd(gradients[k].Span, 1 - Beta, v, v);
            TensorPrimitives.MultiplyAdd(v, -LearningRate, theta, theta);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"momentum (α = {LearningRate:G4}, β = {Beta})";
}
