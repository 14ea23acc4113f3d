using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using GraphDiff;
using GraphDiff.Tensors;

namespace UserOperations;

/// <summary>
/// swish(x) = x·σ(x), in the compact elementwise form, with the kernels of <see cref="TensorMath"/> and a full
/// declaration: where to sample it, its ONNX form, its emitted-code form.
/// </summary>
public static class Swish
{
    /// <summary>The operation; registered for saved graphs and models when this class is first used.</summary>
    public static readonly Elementwise Operation = Register(new Elementwise("UserSwish",
        (x, y) => { TensorMath.Sigmoid(x, y); TensorPrimitives.Multiply(x, y, y); },
        // swish'(x) = σ(x) + y·(1 − σ(x)), reusing the forward value y.
        derivative: (x, y) => Op.Sigmoid(x) + y * (1.0 - Op.Sigmoid(x)))
    {
        Info = new()
        {
            Domain = OperationInfo.Anywhere,
            Onnx = (onnx, _, x) => onnx.Add("Mul", [x[0], onnx.Add("Sigmoid", [x[0]])]),
            Code = "Bp.Map({0}, v => v / (1 + System.Math.Exp(-v)))",
        },
    });

    /// <summary>swish(<paramref name="x"/>), elementwise; errors name the caller's line.</summary>
    public static Node Of(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Node.Apply(Operation, [x], file: file, line: line);

    private static Elementwise Register(Elementwise operation)
    {
        OperationRegistry.Register(operation);
        return operation;
    }
}
