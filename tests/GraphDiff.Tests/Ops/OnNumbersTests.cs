using GraphDiff.Tensors;

namespace GraphDiff.Tests.Ops;

/// <summary>
/// A binary operation's <see cref="ElementwiseBinary.OnNumbers"/> short cut for 1×1 results must give exactly what
/// its kernel gives, or a scalar graph and the same graph over a row would differ in the last bit.
/// </summary>
public class OnNumbersTests
{
    [Fact]
    public void EachBuiltInShortCutAgreesBitForBitWithItsKernel()
    {
        var binaries = GraphDiff.Op.Operations.OfType<ElementwiseBinary>().Where(op => op.OnNumbers is not null).ToArray();
        Assert.Equal(["Add", "Divide", "Multiply", "Subtract"], binaries.Select(op => op.Name).Order());
        var random = new Random(7);
        double[] special = [0.0, -0.0, 1e-310, -1e308, 1e308, double.Epsilon, 3.0, -7.5];
        foreach (var op in binaries)
            for (int k = 0; k < 500; k++)
            {
                double a = k < special.Length ? special[k] : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20));
                double b = k < special.Length ? special[special.Length - 1 - k] : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20));
                var scalar = Tensor.Zeros(1, 1);
                op.Forward([new Tensor([a], 1, 1), new Tensor([b], 1, 1)], scalar);
                var row = Tensor.Zeros(1, 2);   // the same values through the kernel, which a 1×2 result takes
                op.Forward([new Tensor([a, a], 1, 2), new Tensor([b, b], 1, 2)], row);
                Assert.True(BitConverter.DoubleToInt64Bits(scalar.Span[0]) == BitConverter.DoubleToInt64Bits(row.Span[0]),
                    $"{op.Name}({a:R}, {b:R}): {scalar.Span[0]:R} on numbers, {row.Span[0]:R} by the kernel");
            }
    }
}
