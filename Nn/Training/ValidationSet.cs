using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Nn;

/// <summary>The cost of a held-out set, one plan reused every epoch.</summary>
internal sealed class ValidationSet
{
    private readonly Node cost;
    private readonly EvaluationPlan plan;
    private readonly Feed feed = new();

    public ValidationSet(Node cost, TrainingData data, Precision precision)
    {
        this.cost = cost;
        foreach (var input in Graph.Order([cost]).OfType<Input>())
            if (!data.Any(p => p.Key == input))
                throw new ArgumentException($"The validation set has no matrix for input '{input.Name}' ({input.Shape}), which the cost reads.", "options");
        foreach (var (input, matrix) in data)
        {
            TrainingChecks.CheckFinite($"Validation input '{input.Name}'", matrix, precision);
            feed[input] = matrix;
        }
        plan = new EvaluationPlan([cost], precision) { CheckInputs = false };
    }

    public double Cost() => plan.Run(feed).Scalar(cost);
}
