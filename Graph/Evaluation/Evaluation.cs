using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>
/// The values computed by one run of an <see cref="EvaluationPlan"/>. They live in the plan's buffers, which its
/// next run overwrites: a read after the plan has run again (on this thread or another) throws
/// <see cref="StaleEvaluationException"/> instead of returning the later run's values. To keep a result, copy
/// it (<see cref="this[Node]"/> returns a copy) before the next run, or evaluate with a second plan.
/// </summary>
/// <remarks>A small value (no allocation per run): copying it copies the handle, not the values.</remarks>
public readonly struct Evaluation
{
    private readonly EvaluationPlan plan;
    private readonly long run;

    internal Evaluation(EvaluationPlan plan, long run, int batchSize)
    {
        this.plan = plan;
        this.run = run;
        BatchSize = batchSize;
    }

    /// <summary>The number of examples m bound in this run (1 when no input has the batch dimension).</summary>
    public int BatchSize { get; }

    /// <summary>
    /// The value of <paramref name="node"/>, which must be one the plan computed, as a MathNet matrix: a copy of
    /// a computed value (which lives in the plan's arena, widened to double in a float plan), or in a double plan
    /// the storage of a variable or input itself.
    /// Throws <see cref="StaleEvaluationException"/> when the plan has run again since this run.
    /// </summary>
    public Matrix<double> this[Node node] => Plan.MatrixOf(node, run);

    /// <summary>
    /// The value of <paramref name="node"/> as the plan holds it (no copy, no allocation). The view is checked
    /// when taken, not when read: it shows whatever the plan's next run writes there, so read it (or
    /// <see cref="Tensor.Clone"/> it) before running the plan again. A plan in <see cref="Precision.Single"/> holds
    /// floats: read its values with <see cref="TensorOf{T}"/> (this throws <see cref="InvalidOperationException"/> there).
    /// </summary>
    public Tensor Tensor(Node node) => Plan.View<double>(node, run);

    /// <summary>
    /// The value of <paramref name="node"/> as the plan holds it, in the plan's element type: <c>TensorOf&lt;float&gt;</c>
    /// for a plan in <see cref="Precision.Single"/>, <c>TensorOf&lt;double&gt;</c> otherwise (no copy, no allocation;
    /// read it before the plan runs again, as <see cref="Tensor"/>). Throws <see cref="InvalidOperationException"/>
    /// when <typeparamref name="T"/> is not the plan's element type.
    /// </summary>
    public Tensor<T> TensorOf<T>(Node node) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => Plan.View<T>(node, run);

    /// <summary>The value of a 1×1 node as a number (widened from float in a float plan); throws <see cref="StaleEvaluationException"/> when the plan has run again since.</summary>
    public double Scalar(Node node) => Plan.ScalarOf(node, run);

    private EvaluationPlan Plan => plan ?? throw new InvalidOperationException("This Evaluation is empty (default); get one from EvaluationPlan.Run.");
}
