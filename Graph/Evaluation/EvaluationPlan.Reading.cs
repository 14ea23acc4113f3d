using System.Numerics;
using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff;

// How a run's Evaluation reads its values: the sequence lock that refuses a read after a later run, and the lookup by node.
public sealed partial class EvaluationPlan
{
    private long runs;

    /// <summary>
    /// Reads <paramref name="node"/>'s value for the Evaluation of run <paramref name="run"/>: a sequence lock, so the
    /// result is that run's own or a <see cref="StaleEvaluationException"/>, even when another thread runs the plan
    /// during the read (the run number moves before that run writes anything; checked again after reading).
    /// </summary>
    private TResult Read<TResult>(Node node, long run, Func<EvaluationPlan, Node, TResult> read)
    {
        ThrowIfStale(node, run);
        var result = read(this, node);
        Interlocked.MemoryBarrier();
        ThrowIfStale(node, run);
        return result;
    }

    private void ThrowIfStale(Node node, long run)
    {
        long current = Volatile.Read(ref runs);
        if (current != run) throw new StaleEvaluationException(node, run, current);
    }

    /// <summary>The plan's own view of a value, in its element type <typeparamref name="T"/> (which must be the plan's).</summary>
    internal Tensor<T> View<T>(Node node, long run) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (ElementForms.PrecisionOf<T>() != Precision)
            throw new InvalidOperationException($"This plan computes in {Name(Precision)}, so its values are Tensor<{(Precision == Precision.Single ? "float" : "double")}>, not Tensor<{(typeof(T) == typeof(float) ? "float" : typeof(T) == typeof(double) ? "double" : typeof(T).Name)}>: " +
                $"read them with TensorOf<{(Precision == Precision.Single ? "float" : "double")}>(node), or as double with evaluation[node] (a copy) or Scalar(node).");
        return Read(node, run, static (plan, n) => plan.singles is { } single ? Same<float, T>(plan.ValueOf(single, n)) : Same<double, T>(plan.ValueOf(plan.doubles!, n)));
    }

    // The view as the type the caller asked for, which View has checked is the same.
    private static Tensor<TTo> Same<TFrom, TTo>(Tensor<TFrom> view) where TFrom : unmanaged, IFloatingPointIeee754<TFrom> where TTo : unmanaged, IFloatingPointIeee754<TTo> =>
        System.Runtime.CompilerServices.Unsafe.As<Tensor<TFrom>, Tensor<TTo>>(ref view);

    /// <summary>A 1×1 value as a double.</summary>
    internal double ScalarOf(Node node, long run) => Read(node, run, static (plan, n) =>
        plan.singles is { } single ? Scalar(plan.ValueOf(single, n), n) : Scalar(plan.ValueOf(plan.doubles!, n), n));

    private static double Scalar<T>(Tensor<T> v, Node n) where T : unmanaged, IFloatingPointIeee754<T> => v.Rows == 1 && v.Columns == 1
        ? double.CreateTruncating(v[0, 0])
        : throw new ArgumentException($"{n.Label} is {v.Rows}×{v.Columns}, not a scalar.", "node");

    /// <summary>
    /// A copy of a value the plan computed (its buffer is the plan's), widened to double in a float plan; or, in a
    /// double plan, the fed input's or the variable's own matrix (the user's storage, which the plan only reads).
    /// </summary>
    internal Matrix<double> MatrixOf(Node node, long run) => Read(node, run, static (plan, n) =>
    {
        if (plan.singles is { } single)
        {
            var value = plan.ValueOf(single, n);
            var matrix = new DenseMatrix(value.Rows, value.Columns);
            value.ConvertTo(new Tensor<double>(matrix.Values, value.Rows, value.Columns));
            return matrix;
        }
        Tensor wide = plan.ValueOf(plan.doubles!, n);
        // A fed matrix or a variable's is the caller's own storage; a float feed widened into the plan's buffer is not.
        return plan.SlotOf(n) is var s && s >= 0 && plan.steps[s].Node is Variable or Input && !plan.doubles!.IsConverted(s, wide.Array)
            ? wide.ToMatrix() : wide.ToMatrixCopy();
    });

    private int SlotOf(Node node)
    {
        int s = Schedule.SlotOf(node);
        return s < 0 && compilation is not null && compilation.Contains(node) ? Schedule.SlotOf(compilation[node]) : s;
    }

    private Tensor<T> ValueOf<T>(Memory<T> memory, Node node) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int s = SlotOf(node);
        if (s >= 0 && (Reusable(steps[s]) || Fused(s)) && NeedsSlot(steps[s].Node))
            throw new ArgumentException($"{node.Label} is an intermediate value of this plan, and its buffer was reused once its last reader had run. " +
                "Add it to the nodes you evaluate, or set ReuseBuffers = false to keep every value.", nameof(node));
        return s >= 0 && memory.Values[s].Array is not null
            ? memory.Values[s]
            : throw new ArgumentException($"{node.Label} is not an output of this evaluation; add it to the nodes you evaluate.", nameof(node));
    }

    private static string Name(Precision precision) => precision == Precision.Single ? "float32" : "float64";
}
