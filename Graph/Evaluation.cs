using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>The values computed by one run of an <see cref="EvaluationPlan"/>; valid until the plan runs again.</summary>
public sealed class Evaluation
{
    private readonly EvaluationPlan plan;

    internal Evaluation(EvaluationPlan plan, int batchSize)
    {
        this.plan = plan;
        BatchSize = batchSize;
    }

    /// <summary>The number of examples m bound in this run (1 when no input has the batch dimension).</summary>
    public int BatchSize { get; }

    /// <summary>The value of <paramref name="node"/>, which must be one the plan computed.</summary>
    public Matrix<double> this[Node node] => plan.ValueOf(node);

    /// <summary>The value of a 1×1 node as a number.</summary>
    public double Scalar(Node node)
    {
        var v = this[node];
        return v.RowCount == 1 && v.ColumnCount == 1
            ? v[0, 0]
            : throw new ArgumentException($"{node.Label} is {v.RowCount}×{v.ColumnCount}, not a scalar.", nameof(node));
    }
}

/// <summary>One-off evaluation of nodes; for repeated evaluation build an <see cref="EvaluationPlan"/> once.</summary>
public static class NodeEvaluation
{
    /// <summary>Evaluates <paramref name="node"/> with the given inputs and returns a copy of its value.</summary>
    public static Matrix<double> Evaluate(this Node node, Feed? feed = null) =>
        new EvaluationPlan(node).Run(feed)[node].Clone();

    /// <summary>Evaluates a 1×1 node to a number.</summary>
    public static double EvaluateScalar(this Node node, Feed? feed = null) =>
        new EvaluationPlan(node).Run(feed).Scalar(node);

    /// <summary>Evaluates several nodes together (shared work is done once) and returns copies of their values.</summary>
    public static Matrix<double>[] Evaluate(this IReadOnlyList<Node> nodes, Feed? feed = null)
    {
        var run = new EvaluationPlan(nodes).Run(feed);
        return nodes.Select(n => run[n].Clone()).ToArray();
    }
}
