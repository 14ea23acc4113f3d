using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

// One-off evaluation of nodes; for repeated evaluation build an EvaluationPlan once.
public static partial class Graph
{
    /// <summary>Evaluates <paramref name="node"/> with the given inputs and returns a copy of its value.</summary>
    public static Matrix<double> Evaluate(this Node node, Feed? feed = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new EvaluationPlan(node).Run(feed).Tensor(node).ToMatrixCopy();
    }

    /// <summary>Evaluates a 1×1 node to a number.</summary>
    public static double EvaluateScalar(this Node node, Feed? feed = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new EvaluationPlan(node).Run(feed).Scalar(node);
    }

    /// <summary>Evaluates several nodes together (shared work is done once) and returns copies of their values.</summary>
    public static Matrix<double>[] Evaluate(this IReadOnlyList<Node> nodes, Feed? feed = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var run = new EvaluationPlan(nodes).Run(feed);
        return nodes.Select(n => run.Tensor(n).ToMatrixCopy()).ToArray();
    }
}
