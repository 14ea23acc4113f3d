
namespace GraphDiff.Nn;

/// <summary>
/// Updates parameters from their gradients, once per iteration. An optimiser keeps per-parameter state
/// (velocities, moments), so use one instance for one training run.
/// </summary>
public interface IOptimizer
{
    /// <summary>The learning rate α; a learning-rate schedule sets it every epoch (positive and finite).</summary>
    double LearningRate { get; set; }

    /// <summary>Updates each parameter in place from its gradient (same order, same shapes).</summary>
    void Update(IReadOnlyList<Variable> parameters, IReadOnlyList<Tensor> gradients);
}
