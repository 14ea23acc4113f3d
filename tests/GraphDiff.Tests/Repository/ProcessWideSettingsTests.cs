namespace GraphDiff.Tests;

/// <summary>
/// A test that changes a process-wide kernel setting (the lane width, the convolution tiles' width) runs alone, in
/// the lane-width collection: run beside other tests it changes their kernels mid-run, and a test that compares bits
/// (a reused plan against a fresh one) then fails at random. Found when TensorMathGemmTests forced the width unguarded.
/// </summary>
public class ProcessWideSettingsTests
{
    private static readonly string[] Settings = ["LaneWidth.Force(", "ConvTiles.ForcedChannels ="];

    [Fact]
    public void EveryTestThatForcesAKernelSettingRunsAlone()
    {
        char sep = Path.DirectorySeparatorChar;
        var unguarded = Directory.EnumerateFiles(Path.Combine(Repository.Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}obj{sep}") && !f.Contains($"{sep}bin{sep}") && !f.EndsWith("ProcessWideSettingsTests.cs", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text && Settings.Any(text.Contains) && !text.Contains("LaneWidthTests)"))
            .Select(Path.GetFileName)
            .ToArray();
        Assert.True(unguarded.Length == 0, $"these tests force a process-wide kernel setting outside the lane-width collection: {string.Join(", ", unguarded)}");
    }
}
