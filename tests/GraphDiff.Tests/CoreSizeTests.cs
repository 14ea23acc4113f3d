namespace GraphDiff.Tests;

/// <summary>
/// The core (Graph and Ops, the kernels under Graph/Tensors excluded) stays small enough to read in one
/// sitting: a budget in lines, set from its size when the budget was introduced (2,942 lines) plus headroom.
/// Raise it only with a reason; first look for what could move out or be said more simply.
/// </summary>
public class CoreSizeTests
{
    private const int LineBudget = 3_300;

    [Fact]
    public void TheCoreStaysWithinItsLineBudget()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "GraphDiff.sln"))) root = root.Parent;
        Assert.True(root is not null, "the repository root (GraphDiff.sln) was not found above the test's folder");
        var files = new[] { "Graph", "Ops" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root!.FullName, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
                        && !f.Contains($"Graph{Path.DirectorySeparatorChar}Tensors{Path.DirectorySeparatorChar}"))
            .ToArray();
        Assert.True(files.Length > 40, $"only {files.Length} core files found under {root!.FullName}");
        int lines = files.Sum(f => File.ReadLines(f).Count());
        Assert.True(lines <= LineBudget, $"the core is {lines} lines in {files.Length} files, over its budget of {LineBudget}");
    }
}
