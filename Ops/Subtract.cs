using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff;

static partial class Op
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
internal sealed class SubtractOperation : ElementwiseBinary<SubtractKernel>
{
    internal static readonly SubtractOperation Instance = new();
    private SubtractOperation() : base("Subtract", "-", Precedences.Additive, associative: false) { }

    /// <inheritdoc />
    protected override (Node DA, Node DB) Gradients(Node a, Node b, Node node, Node g) =>
        (g, Op.Negate(g));
}
