using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff;

public static partial class Op
{
    /// <summary>a − b, elementwise with broadcasting.</summary>
    public static Node Subtract(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (IsFilled(b, 0) && Broadcasting.Shape(SubtractOperation.Instance.Name, a, b) == a.Shape) return a;
        return Node.Apply(SubtractOperation.Instance, [a, b], At(file, line));
    }
}

/// <summary>a − b. ∂/∂a = 1, ∂/∂b = −1.</summary>
public sealed class SubtractOperation : ElementwiseBinary<SubtractKernel>
{
    internal static readonly SubtractOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Subtract";
    /// <inheritdoc />
    protected override string Symbol => "-";
    /// <inheritdoc />
    protected override bool IsAssociative => false;
    /// <inheritdoc />
    public override int Precedence => Precedences.Additive;

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Op.ReduceTo(upstream, node.Inputs[0].Shape), Op.ReduceTo(Op.Negate(upstream), node.Inputs[1].Shape)];
}
