using System.Runtime.CompilerServices;

namespace GraphDiff;

public static partial class Op
{
    /// <summary>eˣ, elementwise.</summary>
    public static Node Exp(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Node.Apply(ExpOperation.Instance, [x], At(file, line));
    }
}

/// <summary>y = eˣ. ∂y/∂x = eˣ = y (the forward value is reused).</summary>
public sealed class ExpOperation : ElementwiseUnary
{
    internal static readonly ExpOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Exp";
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => Kernels.VectorMath.Exp(x, y);
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [Op.Multiply(upstream, node)];
}
