namespace GraphDiff;

/// <summary>Shape rules shared by the loss functions.</summary>
internal static class Losses
{
    /// <summary>Predictions and labels must have the same shape (n, m): one column per example.</summary>
    public static void RequireSameShape(string loss, Node prediction, Node labels)
    {
        if (prediction.Shape != labels.Shape)
            throw ShapeMismatchException.For(loss, [prediction, labels],
                "predictions and labels must have the same shape (n, m): one column per example");
    }

    /// <summary>Keeps log finite when a saturated sigmoid gives exactly 0 or 1: probabilities are clipped to [ε, 1 − ε].</summary>
    public const double ProbabilityEpsilon = 1e-15;
}
