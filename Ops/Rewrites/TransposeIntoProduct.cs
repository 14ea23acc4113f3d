namespace GraphDiff;

/// <summary>
/// MatMul(aᵀ, b) → MatMul(a, b) with the product's transpose flag set (either operand, either flag): the product
/// reads a in place through <see cref="Kernels.Gemm"/> instead of materialising aᵀ first. A named transpose stays:
/// the user asked to see it.
/// </summary>
internal sealed class TransposeIntoProduct() : RewriteRule("TransposeIntoProduct", "a transposed operand is read in place by the product, not copied", RewritePass.Simplification)
{
    public override Node? Apply(Node node)
    {
        if (node.Operation is not MatMulOperation product) return null;
        Node a = node.Inputs[0], b = node.Inputs[1];
        bool ta = IsTranspose(a), tb = IsTranspose(b);
        if (!ta && !tb) return null;
        return Op.MatMul(ta ? a.Inputs[0] : a, product.TransposeA ^ ta, tb ? b.Inputs[0] : b, product.TransposeB ^ tb);
    }

    private static bool IsTranspose(Node n) => n.Operation is TransposeOperation && n.Name is null;
}
