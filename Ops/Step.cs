using System.Runtime.CompilerServices;

namespace GraphDiff;

public static partial class Op
{
    /// <summary>The Heaviside step: 1 where x &gt; 0, else 0 (so Step(0) = 0). ReLU's derivative.</summary>
    public static Node Step(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Node.Apply(StepOperation.Instance, [x], At(file, line));
}

/// <summary>y = [x &gt; 0]. Its derivative is 0 wherever it exists, so no gradient flows through it.</summary>
public sealed class StepOperation : ElementwiseUnary
{
    internal static readonly StepOperation Instance = new();
    /// <inheritdoc />
    public override string Name => "Step";
    /// <inheritdoc />
    protected override void Forward(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? 1.0 : 0.0;
    }
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [null];
}
