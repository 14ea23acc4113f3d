using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace GraphDiff;

/// <summary>
/// An elementwise operation given by its parts, the compact way to write one: a name, a forward kernel over
/// spans, and the local derivative dy/dx as a graph lambda of the operand x and the result y (reusing y is the
/// course's "cache"). The chain rule (upstream ∘ dy/dx) is applied for you, and the node prints as
/// <c>Name(x)</c>. Built-in exp, log, sigmoid, tanh, softplus, ReLU and step are written this way, with the kernels
/// of <see cref="Tensors.TensorMath"/> or <c>TensorPrimitives</c>, which a user's operation can pass just the same.
/// What else it declares (its ONNX form, test domain, meaning for labels) goes in <see cref="Operation.Info"/>; saved
/// graphs rebuild it as itself once registered (<c>OperationRegistry.Register</c>, in GraphDiff.Nn).
/// </summary>
/// <example>
/// One line each (with <c>using GraphDiff.Tensors;</c> and <c>using System.Numerics.Tensors;</c>):
/// <code>
/// static readonly Elementwise Swish = new("Swish", (x, y) => { TensorMath.Sigmoid(x, y); TensorPrimitives.Multiply(x, y, y); }, derivative: (x, y) => Op.Sigmoid(x) + y * (1 - Op.Sigmoid(x)));
/// static readonly Elementwise Cube = new("Cube", (x, y) => TensorPrimitives.Pow(x, 3.0, y), derivative: (x, y) => 3 * Op.Square(x));
/// static readonly Elementwise MySoftplus = new("MySoftplus", TensorMath.Softplus, derivative: (x, y) => Op.Sigmoid(x)) { KeepsFinite = true };
/// var a = Swish.Apply(z);
/// </code>
/// </example>
public sealed class Elementwise : ElementwiseUnary
{
    private readonly Action<ReadOnlySpan<double>, Span<double>> forward;
    private readonly Func<Node, Node, Node, Node?> backward;

    /// <summary>Defines the operation.</summary>
    /// <param name="name">How it prints, e.g. <c>Softplus</c>.</param>
    /// <param name="forward">y[i] = f(x[i]); called on any contiguous chunk of the operand, possibly several chunks in parallel.</param>
    /// <param name="derivative">dy/dx as nodes, given x and y; <c>null</c> when no gradient flows (a step, a mask).</param>
    /// <param name="kinks">Points where the derivative does not exist (ReLU's 0); gradient checks keep away from them.</param>
    public Elementwise(string name, Action<ReadOnlySpan<double>, Span<double>> forward, Func<Node, Node, Node>? derivative, params double[] kinks)
        : this(name, forward, derivative is null ? (_, _, _) => null : (g, x, y) => Op.Multiply(g, derivative(x, y)), kinks) { }

    /// <summary>
    /// Defines the operation by its vector-Jacobian product instead: <paramref name="backward"/> gives ∂J/∂x from
    /// the upstream gradient g, x and y, for a derivative that reads best as a formula in g (ln: g / x).
    /// </summary>
    public Elementwise(string name, Action<ReadOnlySpan<double>, Span<double>> forward, Func<Node, Node, Node, Node?> backward, params double[] kinks)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        Name = name;
        this.forward = forward;
        this.backward = backward;
        Kinks = kinks.ToArray();
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>Where the derivative does not exist.</summary>
    public override IReadOnlyList<double> Kinks { get; }

    /// <summary>How the node prints given its printed operand, when not <c>Name(x)</c> (e.g. <c>|x|</c>, <c>x²</c>).</summary>
    public Func<FormattedOperand, string>? Printed { get; init; }

    /// <summary>The printed form's binding strength (<see cref="FormattedOperand"/>); an atom unless set.</summary>
    public int PrintPrecedence { get; init; } = FormattedOperand.Atom;

    /// <inheritdoc />
    public override int Precedence => PrintPrecedence;

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        Printed is { } printed ? printed(operands[0]) : base.Format(operands);

    /// <summary>Builds the node f(<paramref name="x"/>), recording the caller's line.</summary>
    public Node Apply(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Node.Apply(this, [x], new SourceLocation(file, line));
    }

    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => forward(x, y);

    /// <summary>The float kernel, for plans in float32; without one, a float plan runs the double kernel and rounds.</summary>
    public Action<ReadOnlySpan<float>, Span<float>>? SingleForward { get; init; }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<GraphDiff.Tensors.Tensor<float>> inputs, GraphDiff.Tensors.Tensor<float> result)
    {
        if (SingleForward is not { } single) { base.Forward(inputs, result); return; }
        if (result.Length != inputs[0].Length) throw new ArgumentException($"{Name}: the result has {result.Length} elements for {inputs[0].Length} operand elements.");
        single(inputs[0].Span, result.Span);
    }

    /// <summary>The operator a built-in writes inline in generated code (<c>Expression.Negate</c> for −x): what both kernels compute on one element.</summary>
    internal Func<Expression, Expression>? Inline { get; init; }

    /// <summary>The form on a register of <see cref="System.Numerics.Vector{T}"/> when it is not <see cref="Inline"/>'s: the kernel's per-register form.</summary>
    internal Func<Expression, Expression>? OnRegister { get; init; }

    /// <summary>The inline form of generated code (see <see cref="Operation.ScalarForm"/>).</summary>
    protected override Expression? ScalarForm(IReadOnlyList<Expression> operands)
    {
        var x = operands[0];
        bool single = x.Type == typeof(float) || x.Type == typeof(System.Numerics.Vector<float>);
        // A register, in a fused loop: without a float kernel, a float plan computes in double, which no register form does.
        if (x.Type.IsGenericType) return single && SingleForward is null ? null : (OnRegister ?? Inline)?.Invoke(x);
        if (Inline is { } inline && (!single || SingleForward is not null)) return inline(x);
        // The kernel on one element, as Forward runs it on a 1×1 operand.
        if (!single) return Expression.Call(OnOneDoubleMethod, Expression.Constant(forward), x);
        return SingleForward is { } kernel ? Expression.Call(OnOneSingleMethod, Expression.Constant(kernel), x) : null;
    }

    private static readonly System.Reflection.MethodInfo OnOneDoubleMethod = typeof(Elementwise).GetMethod(nameof(OnOne), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(typeof(double));
    private static readonly System.Reflection.MethodInfo OnOneSingleMethod = typeof(Elementwise).GetMethod(nameof(OnOne), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(typeof(float));

    private static T OnOne<T>(Action<ReadOnlySpan<T>, Span<T>> kernel, T x) where T : unmanaged
    {
        Span<T> pair = [x, default];
        kernel(pair[..1], pair[1..]);
        return pair[1];
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [backward(upstream, node.Inputs[0], node)];
}
