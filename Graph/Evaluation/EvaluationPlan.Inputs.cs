namespace GraphDiff;

// Binding what was fed: each input looked up, checked and bound, and m fixed.
public sealed partial class EvaluationPlan
{
    /// <summary>Looks up every input, checks its shape and values, binds it, and fixes the batch dimension m from what was fed.</summary>
    private int BindInputs(Feed feed)
    {
        int m = -1;
        Input? fixedBy = null;
        var inputs = Schedule.Inputs;
        for (int n = 0; n < inputs.Count; n++)
        {
            var input = inputs[n];
            if (!feed.TryGetTensor(input, out var value))
                throw new ArgumentException($"Input '{input.Name}' ({input.Shape}, created at {input.Location}) was not fed. Feed it: new Feed {{ {{ {input.Name}, value }} }}.");
            var shape = input.Shape;
            if (shape.Rows != Shape.Batch && value.Rows != shape.Rows || shape.Columns != Shape.Batch && value.Columns != shape.Columns)
                throw new ArgumentException($"Input '{input.Name}' expects {shape.WithStorage()} (created at {input.Location}) but was fed {value.Rows}×{value.Columns}" +
                    (shape.Rank > 2 ? $": one column per example, its {shape.Rows} rows running over ({string.Join(", ", shape.Dimensions[..^1])}) row-major." : "."));
            for (int d = 0; d < 2; d++)
            {
                // The batch dimension may be the rows, the columns, or both.
                if ((d == 0 ? shape.Rows : shape.Columns) != Shape.Batch) continue;
                int actual = d == 0 ? value.Rows : value.Columns;
                if (m == -1) { m = actual; fixedBy = input; }
                else if (m != actual)
                    throw new ArgumentException($"Input '{input.Name}' was fed {value.Rows}×{value.Columns}, giving m = {actual}, but '{fixedBy!.Name}' was fed with m = {m}; every input must have the same number of examples.");
            }
            if (CheckInputs && value.FirstNonFinite() is { } bad)
                throw new ArgumentException($"Input '{input.Name}' was fed a non-finite value {bad.Value} at {shape.PositionOf(bad.Row, bad.Column)}.");
            values[inputSlots[n]] = value;
        }
        if (m == -1 && firstBatched is { } batched)
            m = feed.BatchSize() ?? throw new ArgumentException($"{batched.Label} (built at {batched.Location}) is {batched.Shape}, but nothing fixes m: " +
                "m is the number of examples fed, and neither these outputs nor the feed have an input with the batch dimension.");
        return m == -1 ? 1 : m;
    }
}
