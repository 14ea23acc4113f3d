using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace GraphDiff;

/// <summary>
/// An elementwise binary operation given by its parts, the compact form the built-in + − ∘ / are written in: a
/// name, a broadcasting forward kernel over tensors, and the two gradient formulas as graph lambdas. The shape rule
/// (<see cref="Broadcasting"/>), the unbroadcast of each gradient back to its operand's shape (<see cref="Op.ReduceTo"/>)
/// and the printing (infix with a symbol, or <c>Name(a, b)</c>) are done for you.
/// </summary>
/// <remarks>
/// The forward kernel receives the operands' values and the preallocated result (the broadcast shape): it must
/// broadcast a column, a row or a 1×1 operand itself, which <see cref="Tensors.TensorMath.Add(Tensor, Tensor, Tensor)"/>,
/// <see cref="Tensors.TensorMath.Subtract(Tensor, Tensor, Tensor)"/>, <see cref="Tensors.TensorMath.Multiply(Tensor, Tensor, Tensor)"/> and
/// <see cref="Tensors.TensorMath.Divide(Tensor, Tensor, Tensor)"/> do (they are the built-ins' kernels), and it may be
/// called on any block of whole columns (fused chains run a block at a time), so the result's column j must depend
/// on the operands' column j alone. Pass a lambda, <c>(a, b, y) =&gt; TensorMath.Add(a, b, y)</c>, rather than the
/// method group: a delegate to a static method reaches it through a shuffle of its three tensors, which costs half
/// as much again on a 1×1 value.
/// </remarks>
/// <example>
/// A user's squared difference (a − b)², as short as a built-in:
/// <code>
/// static readonly ElementwiseBinary SquaredDifference = new("SquaredDifference",
///     (a, b, y) => { TensorMath.Subtract(a, b, y); TensorMath.Multiply(y, y, y); },
///     (a, b, y, g) => (2 * g * (a - b), -2 * g * (a - b)));
/// var d = SquaredDifference.Apply(prediction, target);   // prints SquaredDifference(prediction, target)
/// </code>
/// </example>
public sealed class ElementwiseBinary : Operation
{
    private readonly Action<Tensor, Tensor, Tensor> forward;
    private readonly Func<Node, Node, Node, Node, (Node DA, Node DB)> gradients;

    /// <summary>Defines an operation that prints as a call, <c>Name(a, b)</c>.</summary>
    /// <param name="name">How it prints and is saved, e.g. <c>SquaredDifference</c>.</param>
    /// <param name="forward">(a, b, result): the broadcasting kernel, e.g. a lambda calling <see cref="Tensors.TensorMath.Add(Tensor, Tensor, Tensor)"/> and its siblings.</param>
    /// <param name="gradients">
    /// ∂J/∂a and ∂J/∂b at the result's shape (they are then summed back over broadcast dimensions), from a, b, the
    /// result y (for formulas that reuse it, as q = a/b does) and the upstream gradient g.
    /// </param>
    public ElementwiseBinary(string name, Action<Tensor, Tensor, Tensor> forward, Func<Node, Node, Node, Node, (Node DA, Node DB)> gradients)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        this.forward = forward ?? throw new ArgumentNullException(nameof(forward));
        this.gradients = gradients ?? throw new ArgumentNullException(nameof(gradients));
    }

    /// <summary>Defines an operation that prints infix, <c>a symbol b</c>, as the built-in <c>+ − * /</c> do.</summary>
    /// <param name="name">E.g. <c>Add</c>.</param>
    /// <param name="symbol">The infix symbol, e.g. <c>+</c>.</param>
    /// <param name="precedence">Binding strength when printed (<see cref="FormattedOperand"/>).</param>
    /// <param name="associative">Whether <c>a ∘ (b ∘ c)</c> prints without parentheses.</param>
    /// <param name="forward">(a, b, result): the broadcasting kernel, e.g. <c>(a, b, y) =&gt; TensorMath.Add(a, b, y)</c>.</param>
    /// <param name="gradients">As for <see cref="ElementwiseBinary(string, Action{Tensor, Tensor, Tensor}, Func{Node, Node, Node, Node, ValueTuple{Node, Node}})"/>.</param>
    public ElementwiseBinary(string name, string symbol, int precedence, bool associative, Action<Tensor, Tensor, Tensor> forward,
        Func<Node, Node, Node, Node, (Node DA, Node DB)> gradients) : this(name, forward, gradients)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        Symbol = symbol;
        Precedence = precedence;
        IsAssociative = associative;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>The infix symbol, e.g. <c>+</c>; <c>null</c> for an operation that prints as a call.</summary>
    public string? Symbol { get; }

    /// <summary>Whether <c>a ∘ (b ∘ c)</c> prints without parentheses.</summary>
    public bool IsAssociative { get; }

    /// <inheritdoc />
    public override int Precedence { get; } = FormattedOperand.Atom;

    /// <inheritdoc />
    public override bool IsElementwise => true;

    /// <summary>
    /// Set for the elementwise product a ∘ b: with a 1×1 first operand it is then a scaling, which plans fold
    /// into the product it scales and gradients print in the course's way (see <see cref="Operation.IsElementwiseProduct"/>).
    /// </summary>
    public bool IsProduct { get; init; }

    /// <inheritdoc />
    public override bool IsElementwiseProduct => IsProduct;

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => Broadcasting.Shape(Name, inputs[0], inputs[1]);

    /// <summary>
    /// Makes a broadcast the kernels do not cover explicit (a per-channel (n_C, 1) operand across an image batch
    /// (n_H, n_W, n_C, m) repeats along leading axes, not along whole rows or columns of the storage), so the
    /// gradient is summed back once, by the broadcast's own derivative.
    /// </summary>
    protected override IReadOnlyList<Node> PrepareOperands(IReadOnlyList<Node> operands, SourceLocation location)
    {
        if (operands.Count != 2 || (operands[0].Shape.Rank == 2 && operands[1].Shape.Rank == 2)) return operands;
        var target = Broadcasting.Shape(Name, operands[0], operands[1]);
        Node? like = null;
        return [.. operands.Select(o => Broadcasting.CoveredByKernels(o.Shape, target) ? o
            : Op.BroadcastTo(o, like ??= Graph.Filled(target, 0, null, location.File, location.Line), location.File, location.Line))];
    }

    /// <summary>
    /// The same function on two numbers, e.g. <c>(a, b) =&gt; a + b</c>, which must give exactly what the kernel gives
    /// on 1×1 operands: a 1×1 result then takes it and skips the kernel's broadcasting and checks, the bulk of
    /// the cost of a scalar graph's step. Optional; without it every size goes through the kernel.
    /// </summary>
    public Func<double, double, double>? OnNumbers { get; init; }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        if (OnNumbers is { } onNumbers && result.Rows == 1 && result.Columns == 1)
            result.Span[0] = onNumbers(inputs[0].Span[0], inputs[1].Span[0]);
        else
            forward(inputs[0], inputs[1], result);
    }

    /// <summary>The float broadcasting kernel (a, b, result), for plans in float32; without one, a float plan runs the double kernel and rounds.</summary>
    public Action<GraphDiff.Tensors.Tensor<float>, GraphDiff.Tensors.Tensor<float>, GraphDiff.Tensors.Tensor<float>>? SingleForward { get; init; }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<GraphDiff.Tensors.Tensor<float>> inputs, GraphDiff.Tensors.Tensor<float> result)
    {
        if (SingleForward is { } single) single(inputs[0], inputs[1], result);
        else base.Forward(inputs, result);
    }

    /// <summary>The operator a built-in writes inline in generated code (<c>Expression.Add</c> for a + b): what <see cref="OnNumbers"/> and the float kernel compute on one pair.</summary>
    internal Func<Expression, Expression, Expression>? Inline { get; init; }

    /// <summary>The inline form of generated code (see <see cref="Operation.ScalarForm"/>).</summary>
    protected override Expression? ScalarForm(IReadOnlyList<Expression> operands)
    {
        bool single = operands[0].Type == typeof(float) || operands[0].Type == typeof(System.Numerics.Vector<float>);
        if (Inline is { } inline && (!single || SingleForward is not null)) return inline(operands[0], operands[1]);
        // Exactly what Forward does on 1×1 operands in double (a register, in a fused loop, has no such form).
        return !single && !operands[0].Type.IsGenericType && OnNumbers is { } onNumbers ? Expression.Invoke(Expression.Constant(onNumbers), operands[0], operands[1]) : null;
    }

    /// <summary>Builds the node <c>a ∘ b</c>, recording the caller's line.</summary>
    public Node Apply(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Node.Apply(this, [a, b], new SourceLocation(file, line));
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        Node a = node.Inputs[0], b = node.Inputs[1];
        var (da, db) = gradients(a, b, node, upstream);
        return [Op.ReduceTo(da, a.Shape), Op.ReduceTo(db, b.Shape)];
    }

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => Symbol is null
        ? base.Format(operands)
        // The right operand of a non-associative operation (− /) needs parentheses at equal precedence.
        : $"{operands[0].Within(Precedence)} {Symbol} {operands[1].Within(Precedence + (IsAssociative ? 0 : 1))}";
}
