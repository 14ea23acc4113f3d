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
    public static void Check((bool Binary, bool Distribution) domains, Input labels, Matrix<double> y)
    {
        // The shape first: a label matrix of the wrong shape would otherwise be reported by one of its values.
        var shape = labels.Shape;
        if (shape.Rows != Shape.Batch && y.RowCount != shape.Rows || shape.Columns != Shape.Batch && y.ColumnCount != shape.Columns)
            throw new ArgumentException($"Input '{labels.Name}' expects {shape} (created at {labels.Location}) but was fed {y.RowCount}×{y.ColumnCount}.");
        if (domains.Binary) CheckProbabilities(labels, y);
        if (domains.Distribution) CheckDistributions(labels, y);
    }

    /// <summary>Which label domains the losses of <paramref name="cost"/> that target <paramref name="labels"/> need: one walk of the graph.</summary>
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

    private static void CheckProbabilities(Input labels, Matrix<double> y)
    {
        var values = Tensor.Of(y).Array;
        for (int k = 0; k < values.Length; k++)
        {
            double v = values[k];
            if (v is >= 0 and <= 1) continue;
            int row = k % y.RowCount, example = k / y.RowCount;
            throw new ArgumentException(
                $"Labels '{labels.Name}': example {example} (column {example}{(y.RowCount > 1 ? $", row {row}" : "")}) has label {Format(v)}; " +
                "binary cross-entropy needs labels in [0, 1] (the classes 0 and 1, or probabilities). " +
                "Map the classes to 0/1 first (1 for the positive class, 0 otherwise).");
        }
    }

    private static void CheckDistributions(Input labels, Matrix<double> y)
    {
        var values = Tensor.Of(y).Array;
        int rows = y.RowCount;
        for (int j = 0; j < y.ColumnCount; j++)
        {
            double sum = 0;
            for (int i = 0; i < rows; i++)
            {
                double v = values[i + j * rows];
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
