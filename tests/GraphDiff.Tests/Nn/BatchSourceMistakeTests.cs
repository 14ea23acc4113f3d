using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// A batch source of the user's own that gets something wrong is named with the batch and the epoch, never
/// trained on silently: a count of examples that disagrees with its batches, an empty batch, a bad value.
/// </summary>
public class BatchSourceMistakeTests
{
    private sealed class Source(int claimed, int[] sizes, Func<int, int, Matrix<double>>? y = null) : IBatchSource
    {
        public IReadOnlyList<string> Names => ["X", "Y"];
        public int Examples => claimed;
        public int BatchCount => sizes.Length;
        public void BeginEpoch(int epoch) { }

        public IReadOnlyList<Matrix<double>> Batch(int index)
        {
            int m = sizes[index];
            var x = DenseMatrix.Create(2, m, (i, j) => (i + 1) * (j % 3 - 1));
            return [x, y?.Invoke(index, m) ?? DenseMatrix.Create(1, m, (_, j) => j % 2)];
        }
    }

    [Fact]
    public void ASourceWhoseExamplesDisagreeWithItsBatchesIsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Trainer.Train(Network.LogisticRegression(2), new Source(50, [64, 36]), new TrainingOptions { Epochs = 1 }));
        Assert.Contains("says it has 50 examples", error.Message);
        Assert.Contains("held 100", error.Message);
    }

    [Fact]
    public void AnEmptyBatchIsNamedNotTakenForDivergence()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Trainer.Train(Network.LogisticRegression(2), new Source(5, [5, 0]), new TrainingOptions { Epochs = 1 }));
        Assert.Contains("Batch 2 of 2 in epoch 1", error.Message);
        Assert.Contains("no examples", error.Message);
        Assert.DoesNotContain("learning rate", error.Message);
    }

    [Fact]
    public void ABadLabelOrValueIsNamedWithItsBatch()
    {
        var labels = Assert.Throws<ArgumentException>(() => Trainer.Train(Network.LogisticRegression(2),
            new Source(8, [4, 4], (b, m) => DenseMatrix.Create(1, m, (_, j) => b == 1 && j == 3 ? 2 : 0)), new TrainingOptions { Epochs = 1 }));
        Assert.StartsWith("Batch 2 of 2 in epoch 1", labels.Message);
        var shape = Assert.Throws<ArgumentException>(() => Trainer.Train(Network.LogisticRegression(2),
            new Source(8, [4, 4], (b, m) => new DenseMatrix(1, b == 0 ? m : m - 1)), new TrainingOptions { Epochs = 1 }));
        Assert.StartsWith("Batch 2 of 2 in epoch 1", shape.Message);
    }

    [Fact]
    public void ACostOfLabelsOfTheWrongShapeSaysSoBeforeLookingAtTheirValues()
    {
        var net = Network.LogisticRegression(2);
        var error = Assert.Throws<ArgumentException>(() => net.ComputeCost(new DenseMatrix(2, 4), DenseMatrix.Create(2, 4, 0.3)));
        Assert.Contains("expects 1×m", error.Message);
        Assert.Contains("fed 2×4", error.Message);
    }
}
