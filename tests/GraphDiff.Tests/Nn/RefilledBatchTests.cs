using GraphDiff.Nn;
using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// A batch source that refills the same buffers in place for every batch (as the file readers do) still has a NaN
/// in a later batch caught as the input's, named with its batch and epoch: the trainer sets each feed entry again for
/// every batch, which is what makes a plan check a value again (a plan checks a fed value once per entry set).
/// </summary>
public class RefilledBatchTests
{
    private const int Examples = 40, BatchSize = 10;

    /// <summary>Four batches of 2×10 in one pair of buffers (double and float), NaN at one batch of one epoch.</summary>
    private sealed class Refilled(int badEpoch, int badBatch, bool single) : IBatchSource
    {
        private readonly Matrix<double> x = new DenseMatrix(2, BatchSize), y = new DenseMatrix(1, BatchSize);
        private readonly Tensor<float> xs = new(new float[2 * BatchSize], 2, BatchSize), ys = new(new float[BatchSize], 1, BatchSize);
        private int epoch;

        public IReadOnlyList<string> Names => ["X", "Y"];
        public int Examples => RefilledBatchTests.Examples;
        public int BatchCount => Examples / BatchSize;
        public bool HoldsSingle => single;
        public void BeginEpoch(int epoch) => this.epoch = epoch;

        private double X(int b, int i, int j) => epoch == badEpoch && b == badBatch && i == 1 && j == 7 ? double.NaN : (i + 1) * ((b * BatchSize + j) % 3 - 1);

        public IReadOnlyList<Matrix<double>> Batch(int index)
        {
            for (int j = 0; j < BatchSize; j++)
            {
                for (int i = 0; i < 2; i++) x[i, j] = X(index, i, j);
                y[0, j] = j % 2;
            }
            return [x, y];
        }

        public IReadOnlyList<Tensor<float>> SingleBatch(int index)
        {
            for (int j = 0; j < BatchSize; j++)
            {
                for (int i = 0; i < 2; i++) xs.Array[i + 2 * j] = (float)X(index, i, j);
                ys.Array[j] = j % 2;
            }
            return [xs, ys];
        }
    }

    [Theory]
    [InlineData(0, 2, false)]
    [InlineData(1, 0, false)]
    [InlineData(2, 3, false)]
    [InlineData(0, 2, true)]
    [InlineData(1, 0, true)]
    public void ANaNInALaterBatchOfTheSameBuffersIsCaughtAsTheInputs(int epoch, int batch, bool single)
    {
        var network = Network.Create([2, 1], new NetworkOptions { Output = Activation.Sigmoid, Precision = single ? Precision.Single : Precision.Double });
        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(network, new Refilled(epoch, batch, single), new TrainingOptions { Epochs = 3 }));
        Assert.StartsWith($"Batch {batch + 1} of 4 in epoch {epoch + 1}", error.Message);
        Assert.Contains("Input 'X' was fed a non-finite value NaN", error.Message);
        Assert.Contains("clean the data before feeding it", error.Message);
    }

    [Fact]
    public void CleanRefilledBatchesTrain()
    {
        var history = Trainer.Train(Network.LogisticRegression(2), new Refilled(-1, -1, single: false), new TrainingOptions { Epochs = 3 });
        Assert.True(double.IsFinite(history.FinalCost));
    }
}
