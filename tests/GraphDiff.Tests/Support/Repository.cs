namespace GraphDiff.Tests;

/// <summary>The repository the tests were built from, for tests that read its files or run its tools.</summary>
internal static class Repository
{
    /// <summary>The folder holding GraphDiff.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GraphDiff.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("the repository root (GraphDiff.sln) was not found");
    }
}
