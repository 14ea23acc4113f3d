using System.Numerics.Tensors;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

/// <summary>Images between GraphDiff's (n_H·n_W·n_C) × m storage and the course's, PyTorch's and System.Numerics.Tensors' arrays.</summary>
public class ImageDataTests
{
    private const int M = 3, H = 4, W = 5, C = 2;

    // Element (h, w, c) of example j in the image layout: row (h·W + w)·C + c of column j.
    private static double Pixel(int j, int h, int w, int c) => j * 1000 + h * 100 + w * 10 + c;

    private static DenseMatrix Examples() => DenseMatrix.Create(H * W * C, M, (i, j) => Pixel(j, i / (W * C), i / C % W, i % C));

    [Fact]
    public void TheCoursesArraysAreTheMatrixsStorage()
    {
        var images = new double[M, H, W, C];
        for (int j = 0; j < M; j++) for (int h = 0; h < H; h++) for (int w = 0; w < W; w++) for (int c = 0; c < C; c++) images[j, h, w, c] = Pixel(j, h, w, c);
        Assert.Equal(Examples(), Dataset.FromImages(images));
        Assert.Equal(images, Dataset.ToImages(Examples(), H, W, C));
        Assert.Throws<ArgumentException>(() => Dataset.ToImages(Examples(), H, W, 3));
    }

    [Fact]
    public void PyTorchsChannelsFirstAreReordered()
    {
        var nchw = new double[M * C * H * W];
        for (int j = 0; j < M; j++) for (int c = 0; c < C; c++) for (int h = 0; h < H; h++) for (int w = 0; w < W; w++) nchw[((j * C + c) * H + h) * W + w] = Pixel(j, h, w, c);
        Assert.Equal(Examples(), Dataset.FromImages(new ReadOnlyTensorSpan<double>(nchw, [M, C, H, W]), channelsFirst: true));
        var back = Dataset.AsTensor(Examples(), H, W, C, channelsFirst: true);
        Assert.Equal([M, C, H, W], back.Lengths.ToArray());
        Assert.Equal(Pixel(2, 3, 1, 1), back[2, 1, 3, 1]);
    }

    [Fact]
    public void ATensorViewSharesTheMatrixsMemory()
    {
        var x = Examples();
        var tensor = Dataset.AsTensor(x, H, W, C);
        Assert.Equal(Pixel(1, 2, 4, 1), tensor[1, 2, 4, 1]);
        tensor[1, 2, 4, 1] = -7;
        Assert.Equal(-7, x[(2 * W + 4) * C + 1, 1]);
        Assert.Equal(x, Dataset.FromImages(tensor));
    }
}
