namespace GraphDiff;

/// <summary>
/// Conv2DBiasGradient(MaxPool2DScatter(a, g)) → the same channel sums of g: the scatter moves each pooled value to
/// one pixel of its window (or adds it to what is there), so every channel's total is unchanged, and g has a quarter
/// of the elements (2×2 pools). The bias gradient of conv → ReLU → max pool then reads the pooled gradient, not the
/// image's. An execution rule, as <see cref="ReLUGradientAtMaxima"/>: db = Conv2DBiasGradient(dZ) is what a learner reads.
/// </summary>
internal sealed class BiasGradientThroughScatter() : RewriteRule("BiasGradientThroughScatter", "a bias gradient sums the pooled gradient: the max pool's scatter moves values without changing their sum", RewritePass.Execution)
{
    public override Node? Apply(Node node)
    {
        if (node.Operation is not Conv2DBiasGradient || node.Inputs[0] is not { Operation: MaxPoolScatterOperation scatter } spread) return null;
        var pooled = scatter.Geometry;
        // The channel sums of an (OutHeight, OutWidth, Channels) gradient: the bias gradient of a 1×1 convolution producing it.
        var sums = new ConvGeometry(pooled.OutHeight, pooled.OutWidth, pooled.Channels, 1, 1, pooled.Channels, 1, 0, 1);
        return Node.Apply(new Conv2DBiasGradient(sums), [spread.Inputs[1]]);
    }
}
