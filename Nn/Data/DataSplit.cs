namespace GraphDiff.Nn;

/// <summary>Seeded train/test splits.</summary>
public static class DataSplit
{
    /// <summary>
    /// Holds out <paramref name="testFraction"/> of the examples as a test set, chosen with the seeded random source.
    /// Stratified by default: each class keeps its proportion in both parts.
    /// </summary>
    public static (Dataset Train, Dataset Test) TrainTest(Dataset data, double testFraction, int seed, bool stratified = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), $"The test fraction must be between 0 and 1, got {testFraction}.");
        var random = new Random(seed);
        var groups = stratified
            ? data.Classes.Select((c, j) => (c, j)).GroupBy(p => p.c).OrderBy(g => g.Key).Select(g => g.Select(p => p.j).ToArray())
            : [Enumerable.Range(0, data.Count).ToArray()];
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in groups)
        {
            random.Shuffle(group);
            int testCount = (int)Math.Round(group.Length * testFraction);
            test.AddRange(group.Take(testCount));
            train.AddRange(group.Skip(testCount));
        }
        // Mix the classes again so that mini-batches and plots do not see them in blocks.
        var trainOrder = train.ToArray();
        var testOrder = test.ToArray();
        random.Shuffle(trainOrder);
        random.Shuffle(testOrder);
        if (trainOrder.Length == 0 || testOrder.Length == 0)
            throw new ArgumentException($"Splitting {data.Count} examples with test fraction {testFraction} leaves an empty part.");
        return (data.Select(trainOrder), data.Select(testOrder));
    }
}
