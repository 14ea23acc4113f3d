using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff;

public static partial class Op
{
    /// <summary>a + b, elementwise with broadcasting. Adding a zero constant of the result's shape returns the other operand.</summary>
    public static Node Add(Node a, Node b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (IsFilled(b, 0) && Broadcasting.Shape(AddOperation.Instance.Name, a, b) == a.Shape) return a;
        if (IsFilled(a, 0) && Broadcasting.Shape(AddOperation.Instance.Name, a, b) == b.Shape) return b;
        return Node.Apply(AddOperation.Instance, [a, b], At(file, line));
    }
}

/// <summary>a + b. ∂/∂a = 1, ∂/∂b = 1: the upstream gradient passes to both, summed over broadcast dimensions.</summary>
public sealed class AddOperation : ElementwiseBinary<AddKernel>
{
    internal static readonly AddOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Add";
    /// <inheritdoc />
    protected override string Symbol => "+";
    /// <inheritdoc />
    protected override bool IsAssociative => true;
    /// <inheritdoc />
    public override int Precedence => Precedences.Additive;

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) =>
        [Op.ReduceTo(upstream, node.Inputs[0].Shape), Op.ReduceTo(upstream, node.Inputs[1].Shape)];
}
