using GraphDiff.Kernels;

namespace GraphDiff;

/// <summary>
/// Base of the elementwise binary operations (+ − · /): the broadcasting shape rule, the broadcasting forward
/// kernel through an operator struct, infix printing, and the unbroadcast of both gradients. Each operation
/// is one instance, given its name, symbol and the two gradient formulas.
/// </summary>
/// <typeparam name="TKernel">The operator struct computing the elements (a fuser can chain it).</typeparam>
internal sealed class ElementwiseBinary<TKernel> : Operation where TKernel : IBinaryKernel
{
    private readonly int precedence;
    private readonly Func<Node, Node, Node, Node, (Node DA, Node DB)> gradients;

    /// <summary>Describes the operation.</summary>
    /// <param name="name">E.g. <c>Add</c>.</param>
    /// <param name="symbol">The infix symbol, e.g. <c>+</c>.</param>
    /// <param name="precedence">Binding strength when printed (<see cref="Precedences"/>).</param>
    /// <param name="associative">Whether <c>a ∘ (b ∘ c)</c> prints without parentheses.</param>
    /// <param name="gradients">
    /// ∂J/∂a and ∂J/∂b at the result's shape (before unbroadcasting), from a, b, the result (for formulas that
    /// reuse it) and the upstream gradient g.
    /// </param>
    public ElementwiseBinary(string name, string symbol, int precedence, bool associative, Func<Node, Node, Node, Node, (Node DA, Node DB)> gradients)
    {
        this.gradients = gradients;
        Name = name;
        Symbol = symbol;
        this.precedence = precedence;
        IsAssociative = associative;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>The infix symbol, e.g. <c>+</c>.</summary>
    public string Symbol { get; }

    /// <summary>Whether <c>a ∘ (b ∘ c)</c> prints without parentheses.</summary>
    public bool IsAssociative { get; }

    /// <inheritdoc />
    public override int Precedence => precedence;

    /// <inheritdoc />
    public override bool IsElementwise => true;

    /// <inheritdoc />
    public override bool IsElementwiseProduct => typeof(TKernel) == typeof(MultiplyKernel);

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => Broadcasting.Shape(Name, inputs[0], inputs[1]);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) =>
        Broadcast.Apply<TKernel>(inputs[0], inputs[1], result);

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        Node a = node.Inputs[0], b = node.Inputs[1];
        var (da, db) = gradients(a, b, node, upstream);
        return [Op.ReduceTo(da, a.Shape), Op.ReduceTo(db, b.Shape)];
    }

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) =>
        // The right operand of a non-associative operation (− /) needs parentheses at equal precedence.
        $"{operands[0].Within(Precedence)} {Symbol} {operands[1].Within(Precedence + (IsAssociative ? 0 : 1))}";
}
