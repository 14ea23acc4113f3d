using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff;

// The unary elementwise operations as one table, in the spirit of PyTorch's derivatives.yaml: each row is the
// builder users call and the operation's definition (forward kernel, local derivative, kinks, printing, and its
// declaration: test domain, ONNX form, emitted code) side by side. New rows use the same compact Elementwise form
// that a user's own operation uses; a row is all a new elementwise operation needs (see CONTRIBUTING.md).
static partial class Op
{
    // An operation's form on a register, for fused loops (Operation.ScalarForm): a TensorMath kernel's, or Vector's own.
    private static Func<System.Linq.Expressions.Expression, System.Linq.Expressions.Expression> Register(string name) =>
        x => System.Linq.Expressions.Expression.Call(typeof(Tensors.TensorMath), name, null, x);

    private static Func<System.Linq.Expressions.Expression, System.Linq.Expressions.Expression> Lanewise(string name) =>
        x => System.Linq.Expressions.Expression.Call(typeof(System.Numerics.Vector), name, x.Type.GetGenericArguments(), x);

    /// <summary>eˣ, elementwise.</summary>
    public static Node Exp(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(ExpOperation, x, file, line);

    /// <summary>y = eˣ. ∂y/∂x = eˣ = y (the forward value is reused).</summary>
    internal static readonly Elementwise ExpOperation = new("Exp", Tensors.TensorMath.Exp, derivative: (x, y) => y)
        { SingleForward = Tensors.TensorMath.Exp, OnRegister = Register(nameof(Tensors.TensorMath.Exp)), Info = new() { Domain = OperationInfo.Anywhere, Onnx = OperationInfo.OnnxAs("Exp"), Code = "Bp.Map({0}, System.Math.Exp)" } };

    /// <summary>ln x, elementwise. ln 0 = −∞ and ln of a negative number is NaN: evaluation reports either as an error.</summary>
    public static Node Log(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(LogOperation, x, file, line);

    /// <summary>y = ln x. ∂y/∂x = 1/x.</summary>
    internal static readonly Elementwise LogOperation = new("Log", Tensors.TensorMath.Log, backward: (g, x, y) => Divide(g, x))
        { SingleForward = Tensors.TensorMath.Log, OnRegister = Register(nameof(Tensors.TensorMath.Log)), Info = new() { Domain = OperationInfo.Positive, Onnx = OperationInfo.OnnxAs("Log"), Code = "Bp.Map({0}, System.Math.Log)" } };

    /// <summary>√x, elementwise. √ of a negative number is NaN, which evaluation reports as an error.</summary>
    public static Node Sqrt(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SqrtOperation, x, file, line);

    /// <summary>y = √x. ∂y/∂x = 1/(2√x) = 1/(2y) (the forward value is reused).</summary>
    internal static readonly Elementwise SqrtOperation = new("Sqrt", (x, y) => TensorPrimitives.Sqrt(x, y), backward: (g, x, y) => Divide(g, Multiply(Graph.Constant(2.0), y)))
        { SingleForward = (x, y) => TensorPrimitives.Sqrt(x, y), OnRegister = Lanewise(nameof(System.Numerics.Vector.SquareRoot)), Info = new() { Domain = OperationInfo.Positive, Onnx = OperationInfo.OnnxAs("Sqrt"), Code = "Bp.Map({0}, System.Math.Sqrt)" } };

    /// <summary>x², elementwise.</summary>
    public static Node Square(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SquareOperation, x, file, line);

    /// <summary>y = x². ∂y/∂x = 2x.</summary>
    internal static readonly Elementwise SquareOperation = new("Square", (x, y) => TensorPrimitives.Multiply(x, x, y),
        derivative: (x, y) => Multiply(Graph.Constant(2.0), x)) {
            SingleForward = (x, y) => TensorPrimitives.Multiply(x, x, y),
            OnRegister = x => System.Linq.Expressions.Expression.Multiply(x, x),
            Printed = x => $"{x.Within(FormattedOperand.Atom)}²", PrintPrecedence = FormattedOperand.Postfix,
            Info = new() { Domain = OperationInfo.Anywhere, Onnx = (onnx, _, x) => onnx.Add("Mul", [x[0], x[0]]), Code = "Bp.Map({0}, v => v * v)" },
        };

    /// <summary>−x, elementwise.</summary>
    public static Node Negate(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(NegateOperation, x, file, line);

    /// <summary>y = −x. ∂y/∂x = −1, so ∂J/∂x = −g.</summary>
    internal static readonly Elementwise NegateOperation = new("Negate", (x, y) => TensorPrimitives.Negate(x, y), backward: (g, x, y) => Negate(g)) {
            SingleForward = (x, y) => TensorPrimitives.Negate(x, y), Inline = System.Linq.Expressions.Expression.Negate,
            Printed = x => $"-{x.Within(FormattedOperand.Postfix)}", PrintPrecedence = FormattedOperand.Unary, KeepsFinite = true,
            Info = new() { Domain = OperationInfo.Anywhere, Onnx = OperationInfo.OnnxAs("Neg"), Code = "Bp.Neg({0})" },
        };

    /// <summary>|x|, elementwise.</summary>
    public static Node Abs(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(AbsOperation, x, file, line);

    /// <summary>
    /// y = |x|. ∂y/∂x = sign(x), written Step(x) − Step(−x); at the kink x = 0 the derivative is taken as 0
    /// (a valid subgradient, and what PyTorch uses).
    /// </summary>
    internal static readonly Elementwise AbsOperation = new("Abs", (x, y) => TensorPrimitives.Abs(x, y),
        derivative: (x, y) => Subtract(Step(x), Step(Negate(x))), kinks: 0) {
            SingleForward = (x, y) => TensorPrimitives.Abs(x, y),
            OnRegister = Lanewise(nameof(System.Numerics.Vector.Abs)),
            Printed = x => $"|{x.Text}|", KeepsFinite = true,
            Info = new() { Domain = OperationInfo.Anywhere, Onnx = OperationInfo.OnnxAs("Abs"), Code = "Bp.Map({0}, System.Math.Abs)" },
        };

    /// <summary>σ(z) = 1/(1 + e⁻ᶻ), elementwise; finite for every finite z (σ(±1000) is 1 or 0).</summary>
    public static Node Sigmoid(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SigmoidOperation, z, file, line);

    /// <summary>a = σ(z). ∂a/∂z = a(1 − a), reusing the forward value a: the course's cache, as a graph edge.</summary>
    internal static readonly Elementwise SigmoidOperation = new("Sigmoid", Tensors.TensorMath.Sigmoid, derivative: (z, a) => Multiply(a, Subtract(Graph.Constant(1.0), a)))
        {
            SingleForward = Tensors.TensorMath.Sigmoid,
            OnRegister = Register(nameof(Tensors.TensorMath.Sigmoid)),
            KeepsFinite = true,
            Info = new() { Domain = OperationInfo.Anywhere, Onnx = OperationInfo.OnnxAs("Sigmoid"), Code = "Bp.Map({0}, v => 1 / (1 + System.Math.Exp(-v)))", Meaning = OperationMeaning.Probability },
        };

    /// <summary>softplus(x) = log(1 + eˣ), elementwise, computed as max(x, 0) + log(1 + e^−|x|): finite for every finite x.</summary>
    public static Node Softplus(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SoftplusOperation, x, file, line);

    /// <summary>y = log(1 + eˣ). ∂y/∂x = σ(x).</summary>
    internal static readonly Elementwise SoftplusOperation = new("Softplus", Tensors.TensorMath.Softplus, derivative: (x, y) => Sigmoid(x))
        {
            SingleForward = Tensors.TensorMath.Softplus,
            OnRegister = Register(nameof(Tensors.TensorMath.Softplus)),
            KeepsFinite = true,
            Info = new()
            {
                Domain = OperationInfo.Anywhere, Code = "",
                // max(x, 0) + log(1 + e^−|x|), as the kernel computes it, so that float64 results agree to rounding.
                Onnx = (onnx, _, x) => onnx.Add("Add", [onnx.Add("Relu", [x[0]]), onnx.Add("Log", [onnx.Add("Add", [onnx.Constant(1), onnx.Add("Exp", [onnx.Add("Neg", [onnx.Add("Abs", [x[0]])])])])])]),
            },
        };

    /// <summary>tanh(z), elementwise.</summary>
    public static Node Tanh(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(TanhOperation, z, file, line);

    /// <summary>a = tanh(z). ∂a/∂z = 1 − a², reusing the forward value a. Accurate to a few ulps at every magnitude (see <see cref="Tensors.TensorMath.Tanh(ReadOnlySpan{double}, Span{double})"/>).</summary>
    internal static readonly Elementwise TanhOperation = new("Tanh", Tensors.TensorMath.Tanh, derivative: (z, a) => Subtract(Graph.Constant(1.0), Square(a)))
        { SingleForward = Tensors.TensorMath.Tanh, OnRegister = Register(nameof(Tensors.TensorMath.Tanh)), KeepsFinite = true, Info = new() { Domain = OperationInfo.Anywhere, Onnx = OperationInfo.OnnxAs("Tanh"), Code = "Bp.Map({0}, System.Math.Tanh)" } };

    /// <summary>softsign(x) = x / (1 + |x|), elementwise: a tanh-like curve with polynomial tails, finite for every finite x.</summary>
    public static Node Softsign(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(SoftsignOperation, x, file, line);

    /// <summary>y = x / (1 + |x|). ∂y/∂x = 1/(1 + |x|)² = (1 − |y|)², reusing the forward value y.</summary>
    internal static readonly Elementwise SoftsignOperation = new("Softsign", (x, y) =>
        {
            TensorPrimitives.Abs(x, y);
            TensorPrimitives.Add(y, 1.0, y);
            TensorPrimitives.Divide(x, y, y);
        },
        derivative: (x, y) => Square(Subtract(Graph.Constant(1.0), Abs(y))))
        {
            KeepsFinite = true,
            Info = new()
            {
                Domain = OperationInfo.Anywhere, Code = "Bp.Map({0}, v => v / (1 + System.Math.Abs(v)))",
                // As the kernel computes it: ONNX's own Softsign has no float64 kernel in ONNX Runtime.
                Onnx = (onnx, _, x) => onnx.Add("Div", [x[0], onnx.Add("Add", [onnx.Constant(1), onnx.Add("Abs", [x[0]])])]),
            },
        };

    /// <summary>ReLU(z) = max(z, 0), elementwise.</summary>
    public static Node ReLU(Node z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(ReLUOperation, z, file, line);

    /// <summary>a = max(z, 0). ∂a/∂z = Step(z): 1 where z &gt; 0, else 0; at the kink z = 0 the derivative is taken as 0.</summary>
    internal static readonly Elementwise ReLUOperation = new("ReLU", (x, y) => TensorPrimitives.Max(x, 0.0, y), derivative: (z, a) => Step(z), kinks: 0)
        { SingleForward = (x, y) => TensorPrimitives.Max(x, 0f, y), OnRegister = x => System.Linq.Expressions.Expression.Call(typeof(System.Numerics.Vector), nameof(System.Numerics.Vector.Max), x.Type.GetGenericArguments(), x, System.Linq.Expressions.Expression.Default(x.Type)), KeepsFinite = true, Info = new() { Domain = OperationInfo.Anywhere, Onnx = OperationInfo.OnnxAs("Relu"), Code = "Bp.Map({0}, v => System.Math.Max(v, 0))" } };

    /// <summary>The Heaviside step: 1 where x &gt; 0, else 0 (so Step(0) = 0); NaN stays NaN, so a NaN is reported rather than masked into a zero gradient. ReLU's derivative.</summary>
    public static Node Step(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(StepOperation, x, file, line);

    /// <summary>y = [x &gt; 0]. Its derivative is 0 wherever it exists, so no gradient flows through it.</summary>
    internal static readonly Elementwise StepOperation = new("Step", Tensors.TensorMath.Step, derivative: null, kinks: 0)
        {
            SingleForward = Tensors.TensorMath.Step,
            OnRegister = Register(nameof(Tensors.TensorMath.Step)),
            KeepsFinite = true,
            Info = new()
            {
                Domain = OperationInfo.Anywhere, Code = "Bp.Map({0}, v => v > 0 ? 1.0 : 0.0)",
                Onnx = (onnx, _, x) => onnx.Add("Cast", [onnx.Add("Greater", [x[0], onnx.Constant(0)])], ("to", (long)onnx.ElementType)),
            },
        };
}
