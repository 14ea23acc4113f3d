using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// What the plan's generic code needs to know of its element type: which of an operation's two forward forms to call,
/// and the reinterpretation of a <see cref="Tensor{T}"/> of doubles as the <see cref="Tensor"/> the double forms take.
/// </summary>
internal static class ElementForms
{
    /// <summary>The precision of <typeparamref name="T"/>.</summary>
    public static Precision PrecisionOf<T>() => typeof(T) == typeof(float) ? Precision.Single : Precision.Double;

    /// <summary>Runs <paramref name="operation"/>'s forward form for <typeparamref name="T"/>.</summary>
    public static void Forward<T>(Operation operation, Tensor<T>[] operands, Tensor<T> result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
            operation.Forward(AsTensors(Unsafe.As<Tensor<double>[]>(operands)), Unsafe.As<Tensor<T>, Tensor<double>>(ref result));
        else
            operation.Forward(Unsafe.As<Tensor<float>[]>(operands), Unsafe.As<Tensor<T>, Tensor<float>>(ref result));
    }

    /// <summary>Runs <paramref name="operation"/>'s scaled forward form for <typeparamref name="T"/> (only if it <see cref="Operation.ScalesForFree"/>).</summary>
    public static void ForwardScaled<T>(Operation operation, T alpha, Tensor<T>[] operands, Tensor<T> result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
            operation.ForwardScaled(double.CreateTruncating(alpha), AsTensors(Unsafe.As<Tensor<double>[]>(operands)), Unsafe.As<Tensor<T>, Tensor<double>>(ref result));
        else
            operation.ForwardScaled(float.CreateTruncating(alpha), Unsafe.As<Tensor<float>[]>(operands), Unsafe.As<Tensor<T>, Tensor<float>>(ref result));
    }

    /// <summary>Runs <paramref name="operation"/>'s forward form with a write-back for <typeparamref name="T"/> (only if it <see cref="Operation.HasWriteBack"/>).</summary>
    public static void ForwardWritingBack<T>(Operation operation, Tensor<T>[] operands, Tensor<T> result, Action<int, int, int> columnsFinished)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
            operation.Forward(AsTensors(Unsafe.As<Tensor<double>[]>(operands)), Unsafe.As<Tensor<T>, Tensor<double>>(ref result), columnsFinished);
        else
            operation.Forward(Unsafe.As<Tensor<float>[]>(operands), Unsafe.As<Tensor<T>, Tensor<float>>(ref result), columnsFinished);
    }

    /// <summary>A double tensor as a <see cref="Tensor{T}"/> when T is double (the caller has checked).</summary>
    public static Tensor<T> As<T>(Tensor<double> tensor) where T : unmanaged, IFloatingPointIeee754<T> =>
        Unsafe.As<Tensor<double>, Tensor<T>>(ref tensor);

    /// <summary>
    /// An array of <see cref="Tensor{T}"/> of doubles read as the <see cref="Tensor"/> span the double forward takes:
    /// <see cref="Tensor"/> is a struct whose one field is that <see cref="Tensor{T}"/>, so the two lay out alike.
    /// </summary>
    public static ReadOnlySpan<Tensor> AsTensors(Tensor<double>[] tensors) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Tensor<double>, Tensor>(ref MemoryMarshal.GetArrayDataReference(tensors)), tensors.Length);

    /// <summary>A widened copy of float tensors (to recompute in double what went wrong in float).</summary>
    public static Tensor[] Widened<T>(ReadOnlySpan<Tensor<T>> tensors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var wide = new Tensor[tensors.Length];
        for (int k = 0; k < tensors.Length; k++)
        {
            wide[k] = Tensor.Zeros(tensors[k].Rows, tensors[k].Columns);
            tensors[k].ConvertTo<double>(wide[k]);
        }
        return wide;
    }
}
