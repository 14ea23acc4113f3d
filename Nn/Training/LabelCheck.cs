using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Nn;

/// <summary>
/// Checks labels against the domain of the costs that use them, once, before training or a cost evaluation
/// starts: binary cross-entropy needs labels in [0, 1]; softmax cross-entropy needs each column to be a
/// distribution (one-hot). Outside those domains the costs are finite but meaningless (−3,221 for labels of 255),
/// so without this check nothing would ever report the mistake.
/// </summary>
internal static class LabelCheck
{
    private const double SumTolerance = 1e-6;

    /// <summary>
    /// Checks <paramref name="y"/>, fed to <paramref name="labels"/>, against every loss in <paramref name="cost"/>'s
    /// graph that takes <paramref name="labels"/> as its target. Errors name the example (its column in <paramref name="y"/>).
    /// </summary>
    public static void Check(Node cost, Input labels, Matrix<double> y) => Check(DomainsOf(cost, labels), labels, y);

    /// <summary>Checks <paramref name="y"/> against domains found once by <see cref="DomainsOf"/> (for callers that check often).</summary>
    public static void Check((bool Binary, bool Distribution) domains, Input labels, Matrix<double> y) =>
        Check<double>(domains, labels, Tensor.Of(y));

    /// <summary>The same checks of labels held as float32 (a <see cref="SingleBatches"/> batch).</summary>
    public static void Check((bool Binary, bool Distribution) domains, Input labels, GraphDiff.Tensors.Tensor<float> y) => Check<float>(domains, labels, y);

    private static void Check<T>((bool Binary, bool Distribution) domains, Input labels, GraphDiff.Tensors.Tensor<T> y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // The shape first: a label matrix of the wrong shape would otherwise be reported by one of its values.
        var shape = labels.Shape;
        if (shape.Rows != Shape.Batch && y.Rows != shape.Rows || shape.Columns != Shape.Batch && y.Columns != shape.Columns)
            throw new ArgumentException($"Input '{labels.Name}' expects {shape} (created at {labels.Location}) but was fed {y.Rows}×{y.Columns}.");
        if (domains.Binary) CheckProbabilities(labels, y);
        if (domains.Distribution) CheckDistributions(labels, y);
    }

    public static (bool Binary, bool Distribution) DomainsOf(Node cost, Input labels)
    {
        bool binary = false, distribution = false;
        foreach (var node in Graph.Order([cost]))
        {
            // What each operation means for its labels (operand 1 of a loss) is its declaration, not its type.
            var inputs = node.Inputs;
            var meaning = node.Operation.Info.Meaning;
            bool targets = inputs.Count == 2 && inputs[1] == labels;
            if (meaning is OperationMeaning.BinaryCrossEntropy or OperationMeaning.BinaryCrossEntropyOfLogits && targets) binary = true;
            if (meaning is OperationMeaning.DistributionCrossEntropy && targets) distribution = true;
            // Softmax cross-entropy written out is Sum(Y ∘ LogSoftmax(Z)): a product of the labels with the log of a distribution.
            if (node.Operation.IsElementwiseProduct && inputs.Count == 2 &&
                (inputs[0] == labels && IsLogDistribution(inputs[1]) || inputs[1] == labels && IsLogDistribution(inputs[0])))
                distribution = true;
        }
        return (binary, distribution);
    }

    private static bool IsLogDistribution(Node node) => node.Operation.Info.Meaning == OperationMeaning.LogDistribution;

    private static void CheckProbabilities<T>(Input labels, GraphDiff.Tensors.Tensor<T> y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var values = y.Span;
        for (int k = 0; k < values.Length; k++)
        {
            double v = double.CreateTruncating(values[k]);
            if (v is >= 0 and <= 1) continue;
            int row = k % y.Rows, example = k / y.Rows;
            throw new ArgumentException(
                $"Labels '{labels.Name}': example {example} (column {example}{(y.Rows > 1 ? $", row {row}" : "")}) has label {Format(v)}; " +
                "binary cross-entropy needs labels in [0, 1] (the classes 0 and 1, or probabilities). " +
                "Map the classes to 0/1 first (1 for the positive class, 0 otherwise).");
        }
    }

    private static void CheckDistributions<T>(Input labels, GraphDiff.Tensors.Tensor<T> y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var values = y.Span;
        int rows = y.Rows;
        for (int j = 0; j < y.Columns; j++)
        {
            double sum = 0;
            for (int i = 0; i < rows; i++)
            {
                double v = double.CreateTruncating(values[i + j * rows]);
                if (!(v is >= 0 and <= 1))
                    throw new ArgumentException(
                        $"Labels '{labels.Name}': example {j} (column {j}, row {i}) has {Format(v)}; softmax cross-entropy needs one-hot " +
                        "columns (one 1, the rest 0) or probabilities. Encode class labels with Dataset.OneHot.");
                sum += v;
            }
            if (Math.Abs(sum - 1) > SumTolerance)
                throw new ArgumentException(
                    $"Labels '{labels.Name}': example {j}'s column sums to {Format(sum)}, not 1; softmax cross-entropy needs each column to be " +
                    "one-hot (one 1, the rest 0) or a probability distribution. Encode class labels with Dataset.OneHot.");
        }
    }

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
