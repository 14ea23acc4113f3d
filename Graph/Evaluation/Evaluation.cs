using GraphDiff.Tensors;
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

    /// <summary>
    /// The value of <paramref name="node"/>, which must be one the plan computed, as a MathNet matrix: a copy of
    /// a computed value (which lives in the plan's arena), or the storage of a variable or input itself.
    /// Use <see cref="Tensor(Node)"/> to read a value without copying.
    /// </summary>
    public Matrix<double> this[Node node] => plan.ValueOf(node).ToMatrix();

    /// <summary>The value of <paramref name="node"/> as the plan holds it (no copy, no allocation); valid until the plan runs again.</summary>
    public Tensor Tensor(Node node) => plan.ValueOf(node);

    /// <summary>The value of a 1×1 node as a number.</summary>
    public double Scalar(Node node)
    {
        var v = plan.ValueOf(node);
        return v.Rows == 1 && v.Columns == 1
            ? v[0, 0]
            : throw new ArgumentException($"{node.Label} is {v.Rows}×{v.Columns}, not a scalar.", nameof(node));
    }
}
