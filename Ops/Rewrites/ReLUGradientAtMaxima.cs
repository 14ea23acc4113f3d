namespace GraphDiff;

/// <summary>
/// MaxPool2DScatter(ReLU(z), g)·Step(z) → MaxPool2DScatter(ReLU(z), g·Step(MaxPool2D(ReLU(z)))): the backward of
/// conv → ReLU → max pool. The scatter is zero except at each window's maximum, where ReLU(z) is the pooled value, so
/// Step(z) there is Step(pooled): the mask is applied to the pooled gradient (a quarter of the elements for 2×2 pools)
/// before it is scattered, not to the whole image after. The same numbers (a masked zero may lose its sign). An
/// execution rule: the gradients a learner reads keep dZ = MaxPool2DScatter(A, dP)·Step(Z); a plan runs this form, and
/// a named dZ keeps its name (its value is unchanged).
/// </summary>
internal sealed class ReLUGradientAtMaxima() : RewriteRule("ReLUGradientAtMaxima", "ReLU's mask applied to the pooled gradient, before the max pool's scatter", RewritePass.Execution)
{
    public override Node? Apply(Node node)
    {
        if (node.Operation != Op.MultiplyOperation) return null;
        foreach (var (scatter, step) in new[] { (node.Inputs[0], node.Inputs[1]), (node.Inputs[1], node.Inputs[0]) })
        {
            if (scatter.Operation is not MaxPoolScatterOperation pool || step.Operation != Op.StepOperation) continue;
            var activation = scatter.Inputs[0];
            if (activation.Operation != Op.ReLUOperation || !ReferenceEquals(activation.Inputs[0], step.Inputs[0]) || node.Shape != scatter.Shape) continue;
            // The forward's own operation, so that the compiler finds the pooled values already computed (operations are compared by reference).
            var pooled = Node.Apply(pool.Pool ?? new MaxPoolOperation(pool.Geometry, operands: 1), [activation]);
            var masked = Op.Multiply(scatter.Inputs[1], Op.Step(pooled));
            return Node.Apply(pool, [activation, masked]);
        }
        return null;
    }
}
