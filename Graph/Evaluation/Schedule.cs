using System.Text;

namespace GraphDiff;

/// <summary>
/// What will run to evaluate a set of outputs, fixed once: the steps in topological order, each with the slot
/// its value occupies, the slots of its operands, its shape as a function of the batch size m, and the last step
/// that reads it. Immutable, so any number of executors (the interpreter in <see cref="EvaluationPlan"/>, a
/// compiled one later) can share it. <see cref="ToString"/> prints one line per step, for a learner to read.
/// </summary>
public sealed class Schedule
{
    private readonly ScheduleStep[] steps;
    private readonly Dictionary<Node, int> slots = new(ReferenceEqualityComparer.Instance);

    /// <summary>The schedule that evaluates <paramref name="outputs"/>.</summary>
    public Schedule(params IEnumerable<Node> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        Outputs = outputs.ToArray();
        if (Outputs.Count == 0) throw new ArgumentException("A schedule needs at least one output node.", nameof(outputs));
        var order = Graph.Order(Outputs);
        for (int s = 0; s < order.Count; s++) slots[order[s]] = s;
        var lastUse = new int[order.Count];
        for (int s = 0; s < order.Count; s++)
        {
            lastUse[s] = s;
            foreach (var input in order[s].Inputs) lastUse[slots[input]] = s;
        }
        // An output is read after the last step: it must survive the run.
        foreach (var o in Outputs) lastUse[slots[o]] = order.Count;
        steps = order.Select((n, s) => new ScheduleStep(s, n, n.Inputs.Select(i => slots[i]).ToArray(), lastUse[s])).ToArray();
        Inputs = order.OfType<Input>().ToArray();
    }

    /// <summary>The steps, in the order they run (leaves included: their step binds the value).</summary>
    internal IReadOnlyList<ScheduleStep> Steps => steps;

    /// <summary>The nodes evaluated.</summary>
    public IReadOnlyList<Node> Outputs { get; }

    /// <summary>The inputs the outputs depend on; each must be fed.</summary>
    public IReadOnlyList<Input> Inputs { get; }

    /// <summary>The slot of <paramref name="node"/>, or −1 when the schedule does not compute it.</summary>
    public int SlotOf(Node node) => slots.TryGetValue(node, out int s) ? s : -1;

    /// <summary>
    /// One line per step: slot, operation and operand slots, shape, and the line that built the node, and for the
    /// outputs which ones they are, e.g. <c>%4 = Tanh(%3)   4×m   Model.cs:12   → output 0</c>. An output may be a
    /// step of the forward pass (∂J/∂a of J = 2a + b is the constant 2 already there) or serve several outputs (two
    /// gradients that are both 1): <c>→ outputs 1, 2</c>.
    /// </summary>
    public override string ToString()
    {
        var outputsAt = new Dictionary<int, List<int>>();
        for (int k = 0; k < Outputs.Count; k++)
        {
            int s = slots[Outputs[k]];
            if (!outputsAt.TryGetValue(s, out var list)) outputsAt[s] = list = [];
            list.Add(k);
        }
        var sb = new StringBuilder();
        foreach (var step in steps)
        {
            sb.Append(step.ToString());
            if (outputsAt.TryGetValue(step.Slot, out var list))
                sb.Append(list.Count == 1 ? $"   → output {list[0]}" : $"   → outputs {string.Join(", ", list)}");
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
