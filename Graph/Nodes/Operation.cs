using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// What a node computes. An operation holds, side by side, its shape rule (<see cref="InferShape"/>), its
/// forward kernel (<see cref="Forward(ReadOnlySpan{Tensor}, Tensor)"/>), its local derivative as new graph nodes (<see cref="Backward"/>) and
/// how it prints (<see cref="Format(IReadOnlyList{FormattedOperand})"/>), and everything else it declares about
/// itself in <see cref="Info"/>. Most operations hold only constant parameters (an exponent,
/// a slope), so one instance serves many nodes; one that holds state (dropout's random mask source) is one instance
/// per use, so the compiler never merges two.
/// </summary>
public abstract class Operation
{
    /// <summary>The operation's name as it prints, e.g. <c>MatMul</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The shape of the result for these operands; throws <see cref="ShapeMismatchException"/> naming the
    /// operands when they do not fit. Called once, when the node is built.
    /// </summary>
    public abstract Shape InferShape(IReadOnlyList<Node> inputs);

    /// <summary>
    /// Computes the value from the operands' values into <paramref name="result"/>, which is preallocated with
    /// the node's shape (batch dimension resolved) and may hold anything beforehand. The operands are never
    /// written. Every value a plan passes is a contiguous <see cref="Tensor"/> (its <see cref="Tensor.Span"/> is
    /// all its elements, column after column).
    /// </summary>
    public abstract void Forward(ReadOnlySpan<Tensor> inputs, Tensor result);

    /// <summary>
    /// The float form of <see cref="Forward(ReadOnlySpan{Tensor}, Tensor)"/>, for plans in float32. By default the
    /// operands are widened to double, the double form runs and the result is rounded to float, so an operation that
    /// implements only the double form runs in a float plan unchanged (at the cost of the conversions); the built-in
    /// operations override it with their float kernels. The double scratch comes from a pool that keeps its arrays, so a
    /// plan that runs such an operation still allocates nothing once warm.
    /// </summary>
    public virtual void Forward(ReadOnlySpan<Tensor<float>> inputs, Tensor<float> result)
    {
        var pool = ScratchPool<double>.Shared;
        var wide = ScratchPool<Tensor>.Shared.Rent(inputs.Length);
        var output = Rented(pool, result.Rows, result.Columns);
        try
        {
            for (int k = 0; k < inputs.Length; k++)
            {
                wide[k] = Rented(pool, inputs[k].Rows, inputs[k].Columns);
                inputs[k].ConvertTo<double>(wide[k]);
            }
            Forward(wide.AsSpan(0, inputs.Length), output);
            ((Tensor<double>)output).ConvertTo(result);
        }
        finally
        {
            for (int k = 0; k < inputs.Length; k++)
                if (wide[k].Array is { } array) pool.Return(array);
            pool.Return(output.Array);
            ScratchPool<Tensor>.Shared.Return(wide, clearArray: true);
        }
    }

    private static Tensor Rented(System.Buffers.ArrayPool<double> pool, int rows, int columns) =>
        new(pool.Rent(rows * columns), 0, rows, columns, Math.Max(rows, 1));

    /// <summary>
    /// The vector-Jacobian products: given <paramref name="upstream"/> = ∂J/∂node (a node of the node's shape),
    /// returns for each input a node holding ∂J/∂input with that input's shape, built from operations so that it
    /// can itself be evaluated, printed and differentiated. A <c>null</c> entry means no gradient flows to that
    /// input (it is a count, a mask, a constant parameter). Derivatives may reuse <paramref name="node"/> and its
    /// inputs: σ'(z) = a(1−a) reusing a = σ(z) is how the course's "cache" appears in a graph.
    /// </summary>
    public abstract IReadOnlyList<Node?> Backward(Node node, Node upstream);

    /// <summary>
    /// True when each element of the result depends only on the same element of each operand (an operand of
    /// one row, one column or 1×1 broadcasting along the rest), so that any block of whole columns can be computed
    /// from the same columns of the operands: such operations are fused into one pass over memory.
    /// </summary>
    public virtual bool IsElementwise => false;

    /// <summary>
    /// True when the operation takes operands of any rank (images, kernels, not only the course's matrices):
    /// elementwise operations, and those written for rank N. An operation that leaves it false works on matrices,
    /// and a node applying it to an operand of rank 3 or more is refused with an error that names the operand and
    /// suggests <c>Op.Flatten</c>, rather than computing on the operand's storage as if it were a matrix.
    /// </summary>
    public virtual bool AcceptsAnyRank => IsElementwise;

    /// <summary>
    /// Gives the operands the node will hold: the default keeps them. Elementwise binary operations override it
    /// to insert an explicit broadcast where an operand of rank 3 or more repeats along a leading axis (a
    /// per-channel vector across an image), which their kernels' column and row broadcasting does not cover.
    /// </summary>
    protected internal virtual IReadOnlyList<Node> PrepareOperands(IReadOnlyList<Node> operands, SourceLocation location) => operands;

    /// <summary>
    /// True for the elementwise product: with a 1×1 first operand it is a scaling, s·x, which gradients print in
    /// the course's way (dW = 1/m · dZ·Aᵀ, with dZ named without the 1/m).
    /// </summary>
    public virtual bool IsElementwiseProduct => false;

    /// <summary>The first operand's values where the derivative does not exist (ReLU's 0, Clip's bounds); none by default.
    /// Gradient checks and blame keep away from them: a difference quotient there measures the jump in slope.</summary>
    public virtual IReadOnlyList<double> Kinks => [];

    /// <summary>
    /// True for an operation whose derivative also jumps where values of its first operand meet each other rather
    /// than at fixed values: max pooling, where two elements of a window tie for the maximum. Gradient checks then
    /// ask <see cref="SameSideOfTies"/> after each nudge, and skip a nudge that crosses such a kink as they skip one
    /// that crosses a value in <see cref="Kinks"/>.
    /// </summary>
    public virtual bool KinkedAtTies => false;

    /// <summary>
    /// For an operation <see cref="KinkedAtTies"/>: whether the first operand's values <paramref name="before"/> and
    /// <paramref name="after"/> (same shape) pick the same elements (no tie crossed between them). True by default.
    /// </summary>
    public virtual bool SameSideOfTies(Tensor before, Tensor after) => true;

    /// <summary>
    /// True when <see cref="ForwardScaled(double, ReadOnlySpan{Tensor}, Tensor)"/> (and its float form) costs no more than <see cref="Forward(ReadOnlySpan{Tensor}, Tensor)"/> (a GEMM's α): a plan that
    /// reuses buffers then folds a 1×1 factor s of the product's only reader s·P into it (dW = 1/m · dZ·Aᵀ).
    /// </summary>
    public virtual bool ScalesForFree => false;

    /// <summary>
    /// Writes <paramref name="alpha"/> times what <see cref="Forward(ReadOnlySpan{Tensor}, Tensor)"/> writes into <paramref name="result"/>
    /// (stale values, not one of <paramref name="inputs"/>: overwrite every element); only if <see cref="ScalesForFree"/>.
    /// </summary>
    public virtual void ForwardScaled(double alpha, ReadOnlySpan<Tensor> inputs, Tensor result) => throw new NotSupportedException($"'{Name}' does not scale for free.");

    /// <summary>The float form of <see cref="ForwardScaled(double, ReadOnlySpan{Tensor}, Tensor)"/>, for plans in float32; only if <see cref="ScalesForFree"/>.</summary>
    public virtual void ForwardScaled(float alpha, ReadOnlySpan<Tensor<float>> inputs, Tensor<float> result) => throw new NotSupportedException($"'{Name}' does not scale for free.");

    /// <summary>
    /// True when <see cref="Forward(ReadOnlySpan{Tensor}, Tensor, Action{int, int, int})"/> (and its float form) reports
    /// the result's columns as they become final, while they are still in the cache (a product's write-back): a plan then
    /// computes the elementwise steps that read the result right there, a run of columns at a time, rather than in passes
    /// of their own over memory (a GEMM epilogue: Z = W·A + b and A = ReLU(Z) as W·A is written).
    /// </summary>
    public virtual bool HasWriteBack => false;

    /// <summary>
    /// Writes what <see cref="Forward(ReadOnlySpan{Tensor}, Tensor)"/> writes, calling <paramref name="columnsFinished"/>(part,
    /// first, end) for each run of the result's columns once it is final; every column exactly once, runs of different
    /// parts possibly at once on different threads (see <see cref="TensorMath.MatrixMultiply(Tensor, Tensor, Tensor, bool, bool, double, Action{int, int, int})"/>).
    /// Only if <see cref="HasWriteBack"/>.
    /// </summary>
    public virtual void Forward(ReadOnlySpan<Tensor> inputs, Tensor result, Action<int, int, int> columnsFinished) =>
        throw new NotSupportedException($"'{Name}' has no write-back.");

    /// <summary>The float form of <see cref="Forward(ReadOnlySpan{Tensor}, Tensor, Action{int, int, int})"/>; only if <see cref="HasWriteBack"/>.</summary>
    public virtual void Forward(ReadOnlySpan<Tensor<float>> inputs, Tensor<float> result, Action<int, int, int> columnsFinished) =>
        throw new NotSupportedException($"'{Name}' has no write-back.");

    /// <summary>
    /// The operation on 1×1 operands as an expression over <paramref name="operands"/> (each of the plan's element
    /// type), which code generated for a plan's scalar steps writes inline; it must give bit for bit what the forward
    /// form writes for those operands. Operands of type <see cref="System.Numerics.Vector{T}"/> ask for the form on a
    /// register, which fused loops write (each lane must get the forward form's bits), or <c>null</c>. GraphDiff's own operations only: an override outside GraphDiff's assemblies is not
    /// used (a form that is wrong by one bit would give wrong numbers silently), and such an operation is called through its
    /// forward form, exact by construction. <c>null</c>, the default: the generated code calls the forward form.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    protected internal virtual System.Linq.Expressions.Expression? ScalarForm(IReadOnlyList<System.Linq.Expressions.Expression> operands) => null;

    /// <summary>
    /// The constant parameters that, with <see cref="Name"/>, identify the operation: an exponent, a slope, an
    /// axis (absent for "all"), a transpose flag (0 or 1). Saved graphs and exporters read them; an operation
    /// with parameters overrides this, and its registered factory rebuilds it from them.
    /// </summary>
    public virtual IReadOnlyDictionary<string, double> Attributes => System.Collections.ObjectModel.ReadOnlyDictionary<string, double>.Empty;

    /// <summary>
    /// An elementwise operation's parameters as listings show them, e.g. <c>exponent 2.5</c>, so that two powers do not
    /// read alike; empty when there are none, and for other operations (a convolution's geometry would drown the line).
    /// </summary>
    internal string AttributesText => Attributes.Count == 0 || !IsElementwise ? ""
        : string.Join(", ", Attributes.Select(a => $"{a.Key} {a.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>
    /// True when finite operands always give a finite result — no overflow, no domain error (σ, tanh, ReLU, a
    /// clip, a transpose). A plan then skips the NaN and ∞ check of the result: its operands were checked already.
    /// Leave it false (the default) unless it holds for every finite input.
    /// </summary>
    public bool KeepsFinite { get; init; }

    /// <summary>
    /// What the operation declares about itself beyond forward, derivative and printing: test domain, ONNX form,
    /// emitted-code form, meaning for labels, how it is rebuilt when loaded (see <see cref="OperationInfo"/>).
    /// Every built-in declares each part or says "none"; a user's operation declares what it wants to use.
    /// </summary>
    public OperationInfo Info { get; init; } = OperationInfo.Undeclared;

    /// <summary>Binding strength when printed; infix operations override it so operands get parentheses.</summary>
    public virtual int Precedence => FormattedOperand.Atom;

    /// <summary>
    /// Prints <paramref name="node"/> (an application of this operation) from its formatted operands; the default
    /// is <see cref="Format(IReadOnlyList{FormattedOperand})"/>. Override it when the text depends on the operands'
    /// shapes (a count of columns prints as m).
    /// </summary>
    public virtual string Format(Node node, IReadOnlyList<FormattedOperand> operands) => Format(operands);

    /// <summary>Prints the operation applied to its formatted operands; the default is <c>Name(a, b)</c>.</summary>
    public virtual string Format(IReadOnlyList<FormattedOperand> operands) =>
        $"{Name}({string.Join(", ", operands.Select(o => o.Text))})";
}
