using System.Numerics;
using GraphDiff.Tensors;

namespace GraphDiff;

// Binding what was fed: each input looked up, checked (once per entry set) and bound, and m fixed.
public sealed partial class EvaluationPlan
{
    // Per input (in the order of Schedule.Inputs), the stamp of the feed entry last checked (an entry's value, a matrix
    // or a float tensor view, is fixed storage), and whether it was checked for NaN and ∞ too, or only for fitting the plan's precision.
    private (long Stamp, bool Finite)[]? checkedInputs;

    /// <summary>Looks up every input, checks its shape and values, binds it, and fixes the batch dimension m from what was fed.</summary>
    private int BindInputs<T>(Memory<T> memory, Feed feed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = -1;
        Input? fixedBy = null;
        var inputs = Schedule.Inputs;
        var known = checkedInputs ??= new (long, bool)[inputs.Count];
        for (int n = 0; n < inputs.Count; n++)
        {
            var input = inputs[n];
            if (!feed.TryGetFed(input, out var fed))
                throw new ArgumentException($"Input '{input.Name}' ({input.Shape}, created at {input.Location}) was not fed. Feed it: new Feed {{ {{ {input.Name}, value }} }}.");
            bool single = fed.Double is null;
            var (fedSingle, fedDouble) = (fed.Single, single ? default : (Tensor<double>)Tensor.Of(fed.Double!));
            int rows = fed.Rows, columns = fed.Columns;
            var shape = input.Shape;
            if (shape.Rows != Shape.Batch && rows != shape.Rows || shape.Columns != Shape.Batch && columns != shape.Columns)
                throw new ArgumentException($"Input '{input.Name}' expects {shape.WithStorage()} (created at {input.Location}) but was fed {rows}×{columns}" +
                    (shape.Rank > 2 ? $": one column per example, its {shape.Rows} rows running over ({string.Join(", ", shape.Dimensions[..^1])}) row-major." : "."));
            for (int d = 0; d < 2; d++)
            {
                // The batch dimension may be the rows, the columns, or both.
                if ((d == 0 ? shape.Rows : shape.Columns) != Shape.Batch) continue;
                int actual = d == 0 ? rows : columns;
                if (m == -1) { m = actual; fixedBy = input; }
                else if (m != actual)
                    throw new ArgumentException($"Input '{input.Name}' was fed {rows}×{columns}, giving m = {actual}, but '{fixedBy!.Name}' was fed with m = {m}; every input must have the same number of examples.");
            }
            // A value is scanned once per entry set: the rule for values changed in place is on Feed.
            bool seen = known[n].Stamp == fed.Stamp && (known[n].Finite || !CheckInputs);
            if (CheckInputs && !seen && (single ? Describe(fedSingle.FirstNonFinite()) : Describe(fedDouble.FirstNonFinite())) is { } bad)
                throw new ArgumentException($"Input '{input.Name}' was fed a non-finite value {bad.Value} at {shape.PositionOf(bad.Row, bad.Column)}: " +
                    "clean the data before feeding it (a NaN in a data set usually marks a missing value: drop that example or fill it in, e.g. with the feature's mean).");
            memory.Values[inputSlots[n]] = single ? Bound(memory, inputSlots[n], fedSingle) : Bound(memory, inputSlots[n], fedDouble, input, seen);
            if (!seen) known[n] = (fed.Stamp, CheckInputs);
        }
        if (m == -1 && firstBatched is { } batched)
            m = feed.BatchSize() ?? throw new ArgumentException($"{batched.Label} (built at {batched.Location}) is {batched.Shape}, but nothing fixes m: " +
                "m is the number of examples fed, and neither these outputs nor the feed have an input with the batch dimension.");
        return m == -1 ? 1 : m;
    }

    private static (int Row, int Column, double Value)? Describe<TFed>((int Row, int Column, TFed Value)? bad) where TFed : unmanaged, IFloatingPointIeee754<TFed> =>
        bad is { } b ? (b.Row, b.Column, double.CreateTruncating(b.Value)) : null;

    /// <summary>A float feed: bound as it is in a float plan, widened into the plan's buffer in a double one.</summary>
    private static Tensor<T> Bound<T>(Memory<T> memory, int slot, Tensor<float> fed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return System.Runtime.CompilerServices.Unsafe.As<Tensor<float>, Tensor<T>>(ref fed);
        var value = memory.Converted(slot, fed.Rows, fed.Columns);
        fed.ConvertTo(value);
        return value;
    }

    /// <summary>A double feed: bound as it is in a double plan, rounded into the plan's buffer in a float one (refused where it overflows float, checked once per entry).</summary>
    private Tensor<T> Bound<T>(Memory<T> memory, int slot, Tensor<double> fed, Input input, bool seen) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return ElementForms.As<T>(fed);
        var value = memory.Converted(slot, fed.Rows, fed.Columns);
        fed.ConvertTo(value);
        // Checked even when inputs are not (CheckInputs = false, data checked in double before): a finite double that
        // becomes ∞ here is this plan's doing, not the data's.
        if (!seen && value.FirstNonFinite() is { } bad && double.IsFinite(fed[bad.Row, bad.Column]))
            throw new ArgumentException($"Input '{input.Name}' was fed {fed[bad.Row, bad.Column]} at {input.Shape.PositionOf(bad.Row, bad.Column)}, beyond float32's range (±3.4·10³⁸): " +
                $"this plan computes in {NonFiniteValueException.SingleName}. {NonFiniteValueException.SwitchBack(NonFiniteValueException.SmallerData)}");
        return value;
    }
}
