namespace GraphDiff;

/// <summary>
/// A result of an <see cref="EvaluationPlan"/> run was read after the plan had run again: its buffers now hold the
/// later run's values. Copy a result you want to keep before the next run, or evaluate with a second plan.
/// </summary>
public sealed class StaleEvaluationException : InvalidOperationException
{
    internal StaleEvaluationException(Node node, long run, long current)
        : base($"The value of {node.Label} was read from run {run} of its EvaluationPlan, but the plan has run again since (run {current}), " +
               "and the plan's buffers now hold that run's values. Keep a result by copying it before the next run (run[node] gives a copy; " +
               "run.Tensor(node).Clone()), or evaluate the other data with a second plan.")
    {
        Node = node;
    }

    /// <summary>The node whose value was read.</summary>
    public Node Node { get; }
}
