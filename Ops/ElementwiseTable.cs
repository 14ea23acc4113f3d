using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

// The unary elementwise operations as one table, in the spirit of PyTorch's derivatives.yaml: each row is the
// builder users call and the operation's definition (forward kernel, local derivative, kinks, printing) side
// by side. New rows use the same compact Elementwise form that a user's own operation uses.
static partial class Op
{
    /// <summary>eˣ, elementwise.</summary>
    public static Node Exp(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(ExpOperation, x, file, line);

    /// <summary>y = eˣ. ∂y/∂x = eˣ = y (the forward value is reused).</summary>
    internal static readonly Elementwise ExpOperation = new("Exp", Tensors.TensorMath.Exp, derivative: (x, y) => y);

    /// <summary>ln x, elementwise. ln 0 = −∞ and ln of a negative number is NaN: evaluation reports either as an error.</summary>
    public static Node Log(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(LogOperation, x, file, line);

    /// <summary>y = ln x. ∂y/∂x = 1/x.</summary>
    internal static readonly Elementwise LogOperation = new("Log", Tensors.TensorMath.Log, backward: (g, x, y) => Divide(g, x));

    /// <summary>√x, elementwise. √ of a negative number is NaN, which evaluation reports as an error.</summary>
    public static Node Sqrt(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SqrtOperation, x, file, line);

    /// <summary>y = √x. ∂y/∂x = 1/(2√x) = 1/(2y) (the forward value is reused).</summary>
    internal static readonly Elementwise SqrtOperation = new("Sqrt", (x, y) => TensorPrimitives.Sqrt(x, y), backward: (g, x, y) => Divide(g, Multiply(Graph.Constant(2.0), y)));

    /// <summary>x², elementwise.</summary>
    public static Node Square(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SquareOperation, x, file, line);

    /// <summary>y = x². ∂y/∂x = 2x.</summary>
    internal static readonly Elementwise SquareOperation = new("Square", (x, y) => TensorPrimitives.Multiply(x, x, y),
        derivative: (x, y) => Multiply(Graph.Constant(2.0), x)) { Printed = x => $"{x.Within(Precedences.Atom)}²", PrintPrecedence = Precedences.Postfix };

    /// <summary>|x|, elementwise.</summary>
    public static Node Abs(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(AbsOperation, x, file, line);

    /// <summary>
    /// y = |x|. ∂y/∂x = sign(x), written Step(x) − Step(−x); at the kink x = 0 the derivative is taken as 0
    /// (a valid subgradient, and what PyTorch uses).
    /// </summary>
    internal static readonly Elementwise AbsOperation = new("Abs", (x, y) => TensorPrimitives.Abs(x, y),
        derivative: (x, y) => Subtract(Step(x), Step(Negate(x))), kinks: 0) { Printed = x => $"|{x.Text}|", KeepsFinite = true };

    /// <summary>σ(z) = 1/(1 + e⁻ᶻ), elementwise; finite for every finite z (σ(±1000) is 1 or 0).</summary>
    public static Node Sigmoid(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SigmoidOperation, z, file, line);

    /// <summary>a = σ(z). ∂a/∂z = a(1 − a), reusing the forward value a: the course's cache, as a graph edge.</summary>
    internal static readonly Elementwise SigmoidOperation = new("Sigmoid", Tensors.TensorMath.Sigmoid, derivative: (z, a) => Multiply(a, Subtract(Graph.Constant(1.0), a))) { KeepsFinite = true };

    /// <summary>softplus(x) = log(1 + eˣ), elementwise, computed as max(x, 0) + log(1 + e^−|x|): finite for every finite x.</summary>
    public static Node Softplus(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SoftplusOperation, x, file, line);

    /// <summary>y = log(1 + eˣ). ∂y/∂x = σ(x).</summary>
    internal static readonly Elementwise SoftplusOperation = new("Softplus", Tensors.TensorMath.Softplus, derivative: (x, y) => Sigmoid(x)) { KeepsFinite = true };

    /// <summary>tanh(z), elementwise.</summary>
    public static Node Tanh(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(TanhOperation, z, file, line);

    /// <summary>a = tanh(z). ∂a/∂z = 1 − a², reusing the forward value a. Accurate to a few ulps at every magnitude (see <see cref="Tensors.TensorMath.Tanh"/>).</summary>
    internal static readonly Elementwise TanhOperation = new("Tanh", Tensors.TensorMath.Tanh, derivative: (z, a) => Subtract(Graph.Constant(1.0), Square(a))) { KeepsFinite = true };

    /// <summary>ReLU(z) = max(z, 0), elementwise.</summary>
    public static Node ReLU(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(ReLUOperation, z, file, line);

    /// <summary>a = max(z, 0). ∂a/∂z = Step(z): 1 where z &gt; 0, else 0; at the kink z = 0 the derivative is taken as 0.</summary>
    internal static readonly Elementwise ReLUOperation = new("ReLU", (x, y) => TensorPrimitives.Max(x, 0.0, y), derivative: (z, a) => Step(z), kinks: 0) { KeepsFinite = true };

    /// <summary>The Heaviside step: 1 where x &gt; 0, else 0 (so Step(0) = 0); NaN stays NaN, so a NaN is reported rather than masked into a zero gradient. ReLU's derivative.</summary>
    public static Node Step(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(StepOperation, x, file, line);

    /// <summary>y = [x &gt; 0]. Its derivative is 0 wherever it exists, so no gradient flows through it.</summary>
    internal static readonly Elementwise StepOperation = new("Step", Tensors.TensorMath.Step, derivative: null, kinks: 0) { KeepsFinite = true };
}
