using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // A comparison mask selects 1 or 0 eight lanes at a time.
            var one = Vector512<double>.One;
            for (; i <= x.Length - 8; i += 8)
                Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Create(x.Slice(i, 8)), Vector512<double>.Zero), one, Vector512<double>.Zero).CopyTo(y.Slice(i, 8));
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0 ? 1.0 : 0.0;
    }
    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [null];
}
