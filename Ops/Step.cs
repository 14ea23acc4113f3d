using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>The Heaviside step: 1 where x &gt; 0, else 0 (so Step(0) = 0); NaN stays NaN, so a NaN is reported rather than masked into a zero gradient. ReLU's derivative.</summary>
    public static Node Step(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(StepOperation, x, file, line);

    /// <summary>y = [x &gt; 0]. Its derivative is 0 wherever it exists, so no gradient flows through it.</summary>
    internal static readonly Elementwise StepOperation = new("Step", Kernels.VectorMath.Step, derivative: null, kinks: 0);
}
