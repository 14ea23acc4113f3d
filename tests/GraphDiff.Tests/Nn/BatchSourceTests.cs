using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

/// <summary>Batch sources: every example once per epoch, in a seeded order, from memory or streamed from IDX and CSV files.</summary>
public class BatchSourceTests
{
    private static string Data(string relative) => Path.Combine(AppContext.BaseDirectory, "data", relative);

    /// <summary>Each example's X column, as text, over one epoch of <paramref name="source"/>; batch sizes too.</summary>
    private static (List<string> Examples, List<int> Sizes) Epoch(IBatchSource source, int epoch)
    {
        source.BeginEpoch(epoch);
        var examples = new List<string>();
        var sizes = new List<int>();
        for (int b = 0; b < source.BatchCount; b++)
        {
            var batch = source.Batch(b);
            sizes.Add(batch[0].ColumnCount);
            Assert.All(batch, m => Assert.Equal(batch[0].ColumnCount, m.ColumnCount));
            for (int j = 0; j < batch[0].ColumnCount; j++)
                examples.Add(string.Join(",", batch.SelectMany(m => m.Column(j).Enumerate())));
        }
        return (examples, sizes);
    }

    private static string[] Columns(params Matrix<double>[] matrices) =>
        Enumerable.Range(0, matrices[0].ColumnCount).Select(j => string.Join(",", matrices.SelectMany(m => m.Column(j).Enumerate()))).ToArray();

    [Theory]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(64)]
    public void AStreamedIdxFileGivesEveryExampleOncePerEpochInASeededOrder(int batchSize)
    {
        using var dir = new TempDirectory();
        var random = new Random(3);
        var images = DenseMatrix.Create(6, 23, (_, _) => random.Next(256) / 255.0);
        var digits = Enumerable.Range(0, 23).Select(i => i % 10).ToArray();
        IdxFile.WriteImages(dir.File("images.idx"), images, 2, 3);
        IdxFile.WriteLabels(dir.File("labels.idx"), digits);
        using var source = IdxBatches.Open(dir.File("images.idx"), dir.File("labels.idx"), d => Dataset.OneHot(d, 10), batchSize, seed: 5);
        Assert.Equal(["X", "Y"], source.Names);
        var expected = Columns(images, Dataset.OneHot(digits, 10)).Order().ToArray();
        var first = Epoch(source, 0);
        var second = Epoch(source, 1);
        Assert.Equal(expected, first.Examples.Order().ToArray());
        Assert.Equal(expected, second.Examples.Order().ToArray());
        Assert.Equal(23, first.Sizes.Sum());
        Assert.All(first.Sizes.SkipLast(1), s => Assert.Equal(Math.Min(batchSize, 23), s));
        if (batchSize < 23) Assert.NotEqual(first.Examples, second.Examples);   // reshuffled
        using var again = IdxBatches.Open(dir.File("images.idx"), dir.File("labels.idx"), d => Dataset.OneHot(d, 10), batchSize, seed: 5);
        Assert.Equal(first.Examples, Epoch(again, 0).Examples);               // seeded
    }

    [Fact]
    public void ACompressedIdxFileIsRefusedWithAnExplanation()
    {
        var e = Assert.Throws<DataFormatException>(() => IdxBatches.Open(Data("mnist-10k/train-images-idx3-ubyte.gz"), Data("mnist-10k/train-labels-idx1-ubyte.gz"), Dataset.Row, 64));
        Assert.Contains("gzip", e.Message);
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
    }

    [Fact]
    public void AStreamedCsvFileGivesTheRowsCsvTableReads()
    {
        var path = Data("breast-cancer-wisconsin.csv");
        var table = CsvTable.Read(path, "malignant");
        using var source = CsvBatches.Open(path, batchSize: 50, seed: 2, labelColumn: "malignant");
        Assert.Equal(table.FeatureNames, source.FeatureNames);
        Assert.Equal(table.Data.X.ColumnCount, source.Examples);
        Assert.Equal(Columns(table.Data.X, table.Data.Y).Order().ToArray(), Epoch(source, 0).Examples.Order().ToArray());
    }

    [Fact]
    public void AByteOrderMarkAndWindowsLineEndingsAreReadAsCsvTableReadsThem()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("first,label\r\n1.5,0\r\n2.5,1\r\n")]);
        using var source = CsvBatches.Open(path, batchSize: 2, labelColumn: "label");
        Assert.Equal(["first"], source.FeatureNames);
        Assert.Equal(Columns(CsvTable.Read(path, "label").Data.X, CsvTable.Read(path, "label").Data.Y).Order().ToArray(), Epoch(source, 0).Examples.Order().ToArray());
    }

    [Fact]
    public void ABadCsvFieldIsNamedByItsLineWhenItsBatchIsRead()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.csv");
        File.WriteAllText(path, "a,b,label\n1,2,0\n\n3,x,1\n5,6,1\n");
        using var source = CsvBatches.Open(path, batchSize: 10);
        Assert.Equal(3, source.Examples);
        source.BeginEpoch(0);
        var e = Assert.Throws<DataFormatException>(() => source.Batch(0));
        Assert.Contains("line 4", e.Message);
        Assert.Contains("'b'", e.Message);
    }

    [Fact]
    public void TrainingOnAStreamedSourceMatchesTrainingOnTheSameDataInMemory()
    {
        using var dir = new TempDirectory();
        var path = dir.File("flower.csv");
        var flower = Dataset.Flower();
        File.WriteAllLines(path, new[] { "x1,x2,y" }.Concat(Enumerable.Range(0, flower.X.ColumnCount)
            .Select(j => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{flower.X[0, j]:R},{flower.X[1, j]:R},{flower.Y[0, j]:R}"))));
        // Full batches: the order of examples changes only the rounding of the sums.
        var inMemory = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh });
        var streamed = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh });
        var options = new TrainingOptions { Epochs = 50, Optimizer = new GradientDescent(1.0) };
        var a = Trainer.Train(inMemory, flower.X, flower.Y, options);
        using var source = CsvBatches.Open(path, batchSize: 400);
        var b = Trainer.Train(streamed, source, options with { Optimizer = new GradientDescent(1.0) });
        Assert.Equal(a.FinalCost, b.FinalCost, 10);
        Assert.Equal(inMemory.PredictProbabilities(flower.X)[0, 17], streamed.PredictProbabilities(flower.X)[0, 17], 10);
    }

    [Fact]
    public void AStreamedBatchWithABadLabelStopsTrainingNamingIt()
    {
        using var dir = new TempDirectory();
        var path = dir.File("labels.csv");
        File.WriteAllText(path, "a,label\n1,0\n2,1\n3,7\n");
        using var source = CsvBatches.Open(path, batchSize: 3);
        var net = Network.LogisticRegression(1);
        var e = Assert.ThrowsAny<ArgumentException>(() => Trainer.Train(net, source, new TrainingOptions { Epochs = 1 }));
        Assert.Contains("7", e.Message);
    }
}
