namespace GraphDiff;

/// <summary>
/// A 1×1 factor moves to the front and out of products, sums and transposes: x·s → s·x, (s·a)·b → s·(a·b),
/// s·(t·x) → (s·t)·x, (s·a)·B → s·(a·B) for the matrix product, Σ(s·a) → s·Σa, (s·a)ᵀ → s·aᵀ, and out of the
/// operations of an image's backward that are linear in a gradient (reshape, scatter, a convolution's gradients). It is how the
/// gradient of a mean cost reads as the course writes it, dW = 1/m · dZ·Aᵀ, with the scale applied once.
/// </summary>
internal sealed class ScalarFactorOut() : RewriteRule("ScalarFactorOut", "a scalar factor applied once, in front", RewritePass.Simplification)
{
    public override Node? Apply(Node node)
    {
        if (node.Operation == Op.MultiplyOperation)
        {
            Node a = node.Inputs[0], b = node.Inputs[1];
            if (Patterns.IsScalar(b) && !Patterns.IsScalar(a)) return Op.Multiply(b, a);
            if (Patterns.IsScalar(a) && Patterns.IsScaled(b, out var t, out var x)) return Op.Multiply(Op.Multiply(a, t), x);
            if (Patterns.IsScalar(a)) return null;
            if (Patterns.IsScaled(a, out var s, out var rest)) return Op.Multiply(s, Op.Multiply(rest, b));
            if (Patterns.IsScaled(b, out s, out rest)) return Op.Multiply(s, Op.Multiply(a, rest));
            return null;
        }
        if (node.Operation is MatMulOperation product)
        {
            Node a = node.Inputs[0], b = node.Inputs[1];
            if (Patterns.IsScaled(a, out var s, out var rest))
                return Op.Multiply(s, Op.MatMul(rest, product.TransposeA, b, product.TransposeB));
            if (Patterns.IsScaled(b, out s, out rest))
                return Op.Multiply(s, Op.MatMul(a, product.TransposeA, rest, product.TransposeB));
            return null;
        }
        if (node.Operation is SumOperation sum && Patterns.IsScaled(node.Inputs[0], out var factor, out var summed))
            return Op.Multiply(factor, Op.Sum(summed, sum.Axis));
        if (node.Operation is TransposeOperation && Patterns.IsScaled(node.Inputs[0], out factor, out var transposed))
            return Op.Multiply(factor, Op.Transpose(transposed));
        if (LinearOperand(node.Operation) is int k && Patterns.IsScaled(node.Inputs[k], out factor, out var inner))
        {
            var operands = node.Inputs.ToArray();
            operands[k] = inner;
            return Op.Multiply(factor, Node.Apply(node.Operation, operands));
        }
        return null;
    }

    /// <summary>
    /// The operand an image's backward operation is linear in (a reshape, a pool's scatter, a convolution's gradients):
    /// the 1/m of a mean cost comes out of them, so a convolution's dZ means what a dense layer's does (m·∂J/∂Z).
    /// </summary>
    private static int? LinearOperand(Operation operation) => operation switch
    {
        ReshapeOperation or Conv2DBiasGradient or Conv2DInputGradient or AvgPoolTransposeOperation => 0,
        MaxPoolScatterOperation or Conv2DKernelGradient => 1,
        _ => null,
    };
}
