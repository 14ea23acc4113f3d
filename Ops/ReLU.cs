using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

public static partial class Op
{
    /// <summary>ReLU(z) = max(z, 0), elementwise.</summary>
    public static Node ReLU(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(z);
        return Node.Apply(ReLUOperation.Instance, [z], At(file, line));
    }
}

/// <summary>a = max(z, 0). ∂a/∂z = Step(z): 1 where z &gt; 0, else 0; at the kink z = 0 the derivative is taken as 0.</summary>
public sealed class ReLUOperation : ElementwiseUnary
{
    internal static readonly ReLUOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "ReLU";
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => TensorPrimitives.Max(x, 0.0, y);
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [Op.Multiply(upstream, Op.Step(node.Inputs[0]))];
}
