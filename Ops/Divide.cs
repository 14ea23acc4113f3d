using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff;

public static partial class Op
{
    /// <summary>a / b, elementwise with broadcasting. Division by zero yields ∞, which evaluation reports as an error.</summary>
    public static Node Divide(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (IsFilled(b, 1) && Broadcasting.Shape(DivideOperation.Instance.Name, a, b) == a.Shape) return a;
        return Node.Apply(DivideOperation.Instance, [a, b], At(file, line));
    }
}

/// <summary>q = a / b. ∂/∂a = 1/b, ∂/∂b = −a/b² = −q/b (reusing the forward value q).</summary>
public sealed class DivideOperation : ElementwiseBinary<DivideKernel>
{
    internal static readonly DivideOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Divide";
    /// <inheritdoc />
    protected override string Symbol => "/";
    /// <inheritdoc />
    protected override bool IsAssociative => false;
    /// <inheritdoc />
    public override int Precedence => Precedences.Multiplicative;

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        Node a = node.Inputs[0], b = node.Inputs[1];
        return [Op.ReduceTo(Op.Divide(upstream, b), a.Shape),
                Op.ReduceTo(Op.Negate(Op.Divide(Op.Multiply(upstream, node), b)), b.Shape)];
    }
}
