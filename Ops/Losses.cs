using System.Runtime.CompilerServices;

namespace GraphDiff;

// The losses' builders, side by side: the cross-entropies are MeanLoss operations, the course's L1 and L2 losses
// sums of elementwise nodes; each takes a prediction and labels of one shape.
static partial class Op
{
    /// <summary>
    /// The course's cost J = −1/m Σ (y·log a + (1 − y)·log(1 − a)) for predictions <paramref name="a"/> in (0, 1)
    /// and labels <paramref name="y"/> of the same shape (n, m); m is the number of columns. a is clipped to
    /// [1e−15, 1 − 1e−15] so that a saturated sigmoid (a = 0 or 1 exactly) still gives a finite cost and gradient.
    /// </summary>
    public static Node BinaryCrossEntropy(Node a, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Loss(BinaryCrossEntropyOperation.Instance, a, y, file, line);

    /// <summary>
    /// Binary cross-entropy of σ(<paramref name="z"/>) against <paramref name="y"/>, computed from the logits z as
    /// 1/m Σ (max(z, 0) − z·y + log(1 + e^(−|z|))): the loss and its gradient stay finite even at z = ±1000,
    /// where σ(z) rounds to exactly 0 or 1.
    /// </summary>
    public static Node BinaryCrossEntropyWithLogits(Node z, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Loss(BinaryCrossEntropyWithLogitsOperation.Instance, z, y, file, line);

    /// <summary>
    /// Multi-class cross-entropy from scores: J = −1/m Σ y ∘ log softmax(z), with labels <paramref name="y"/> of z's
    /// shape (classes, m) whose columns are one-hot or distributions. Computed from the scores, so it is stable,
    /// and its gradient is the course's dZ = softmax(z) − y (over m); the labels are checked to sum to 1 per column
    /// whenever that gradient is evaluated.
    /// </summary>
    public static Node SoftmaxCrossEntropy(Node z, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Loss(SoftmaxCrossEntropyOperation.Instance, z, y, file, line);

    /// <summary>The course's L1 loss Σ |ŷ − y| (a sum, not a mean), for predictions and labels of one shape.</summary>
    public static Node L1Loss(Node prediction, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        SummedError("L1Loss", prediction, y, Abs, file, line);

    /// <summary>The course's L2 loss Σ (ŷ − y)² (a sum, not a mean), for predictions and labels of one shape.</summary>
    public static Node L2Loss(Node prediction, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        SummedError("L2Loss", prediction, y, Square, file, line);

    /// <summary>Σ f(ŷ − y), every node attributed to the caller's line.</summary>
    private static Node SummedError(string loss, Node prediction, Node y, Func<Node, string, int, Node> f, string file, int line)
    {
        Losses.RequireSameShape(loss, prediction, y);
        return Sum(f(Subtract(prediction, y, file, line), file, line), null, file, line);
    }

    /// <summary>The node of a loss over predictions and labels of one shape (n, m); a null is refused under the builder's parameter name.</summary>
    private static Node Loss(MeanLoss loss, Node prediction, Node labels, string file, int line,
        [CallerArgumentExpression(nameof(prediction))] string? predictionName = null,
        [CallerArgumentExpression(nameof(labels))] string? labelsName = null)
    {
        Losses.RequireSameShape(loss.Name, prediction, labels, predictionName, labelsName);
        return Node.Apply(loss, [prediction, labels], At(file, line));
    }
}

/// <summary>Shape rules shared by the loss functions.</summary>
internal static class Losses
{
    /// <summary>
    /// Predictions and labels must be given (a null is refused under the builder's parameter name) and have the
    /// same shape (n, m): one column per example.
    /// </summary>
    public static void RequireSameShape(string loss, Node prediction, Node labels,
        [CallerArgumentExpression(nameof(prediction))] string? predictionName = null,
        [CallerArgumentExpression(nameof(labels))] string? labelsName = null)
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
