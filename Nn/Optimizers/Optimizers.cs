namespace GraphDiff.Nn;

/// <summary>Checks and per-parameter state shared by the optimisers.</summary>
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
