using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>One-hot encoding of class labels, for a softmax output.</summary>
public static class OneHot
{
    /// <summary>A (classes, m) matrix with a single 1 per column, in the row of the example's class.</summary>
    public static Matrix<double> Encode(IReadOnlyList<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var y = new DenseMatrix(classes, labels.Count);
        for (int j = 0; j < labels.Count; j++)
        {
            if (labels[j] < 0 || labels[j] >= classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {labels[j]} of example {j} is outside 0..{classes - 1}.");
            y[labels[j], j] = 1;
        }
        return y;
    }
}
