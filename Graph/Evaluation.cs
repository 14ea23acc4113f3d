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
