namespace GraphDiff.Tests;

/// <summary>The Tensors library shows users the value type and one class of kernels; the operator structs, lane types and GEMM paths stay internal.</summary>
public class TensorsSurfaceTests
{
    [Fact]
    public void OnlyTensorAndTensorMathArePublic()
    {
        var exported = typeof(GraphDiff.Tensors.TensorMath).Assembly.GetExportedTypes().Select(t => t.FullName).Order();
        // Tensor<T> came with float32 (issue #21): Tensor is its double form under the name operations are written against.
        Assert.Equal(["GraphDiff.Tensors.Tensor", "GraphDiff.Tensors.Tensor`1", "GraphDiff.Tensors.TensorMath"], exported);
    }

    [Fact]
    public void NoLibraryGetsTheTensorsInternals()
    {
        var friends = typeof(GraphDiff.Tensors.TensorMath).Assembly.GetCustomAttributes(typeof(System.Runtime.CompilerServices.InternalsVisibleToAttribute), false)
            .Cast<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName).Order();
        Assert.Equal(["GraphDiff.Benchmarks", "GraphDiff.Tests"], friends);
    }
}
