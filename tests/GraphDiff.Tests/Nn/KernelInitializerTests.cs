using GraphDiff.Nn;

namespace GraphDiff.Tests.Nn;

public class KernelInitializerTests
{
    [Fact]
    public void AKernelIsItsStorageScaledByItsFanIn()
    {
        var k = Initializer.Kernel(Initialization.He, 5, 3, 400, seed: 2);
        Assert.Equal(75, k.RowCount);                     // f·f·n_C_prev rows, one column per filter
        Assert.Equal(400, k.ColumnCount);
        double variance = k.Enumerate().Select(v => v * v).Average();
        Assert.InRange(variance, 0.9 * 2.0 / 75, 1.1 * 2.0 / 75);   // He: 2 / fan-in, fan-in = 5·5·3
        var variable = Graph.Variable("K", Shape.Of(5, 5, 3, 400), k);
        Assert.Equal(Shape.Of(5, 5, 3, 400), variable.Shape);
        Assert.Equal(k, Initializer.Kernel(Initialization.He, 5, 3, 400, seed: 2));
    }
}
