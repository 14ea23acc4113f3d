namespace GraphDiff;

/// <summary>Shape rules shared by the loss functions.</summary>
internal static class Losses
{
    /// <summary>
    /// Predictions and labels must be given (a null is refused under the builder's parameter name) and have the
    /// same shape (n, m): one column per example.
    /// </summary>
    public static void RequireSameShape(string loss, Node prediction, Node labels,
        [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(prediction))] string? predictionName = null,
        [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(labels))] string? labelsName = null)
    {
        ArgumentNullException.ThrowIfNull(prediction, predictionName);
        ArgumentNullException.ThrowIfNull(labels, labelsName);
        if (prediction.Shape != labels.Shape)
            throw ShapeMismatchException.For(loss, [prediction, labels],
                "predictions and labels must have the same shape (n, m): one column per example");
    }

    /// <summary>Keeps log finite when a saturated sigmoid gives exactly 0 or 1: probabilities are clipped to [ε, 1 − ε].</summary>
    public const double ProbabilityEpsilon = 1e-15;
}
