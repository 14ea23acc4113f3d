namespace GraphDiff.Tests;

/// <summary>
/// The core (Graph and Ops, without the kernels under Graph/Tensors and the compiler) stays small enough to read
/// in one sitting: a budget in lines, set from its size when the budget was introduced (2,942 lines) plus
/// headroom. The compiler (Graph/Compiler and its rules in Ops/Rewrites) is optional reading and has a budget
/// of its own, set the same way (539 lines when it was introduced); so do the teaching tools (Graph/Teaching, Ops/Teaching). Raise a budget only with a reason; first
/// look for what could move out or be said more simply.
/// </summary>
public class CoreSizeTests
{
    private const int CoreBudget = 3_400;
    private const int CompilerBudget = 800;
    private const int TeachingBudget = 1_200;

    private static readonly char Sep = Path.DirectorySeparatorChar;

    [Fact]
    public void TheCoreStaysWithinItsLineBudget() =>
        AssertWithin("the core", SourceFiles("Graph", "Ops").Where(f => !f.Contains($"Graph{Sep}Tensors{Sep}") && !IsTeaching(f) && !IsCompiler(f)), 41, CoreBudget);

    [Fact]
    public void TheCompilerStaysWithinItsLineBudget() =>
        AssertWithin("the compiler", SourceFiles("Graph", "Ops").Where(IsCompiler), 11, CompilerBudget);

    [Fact]
    public void TheTeachingToolsStayWithinTheirLineBudget() =>
        AssertWithin("the teaching tools", SourceFiles("Graph", "Ops").Where(IsTeaching), 1, TeachingBudget);

    private static void AssertWithin(string part, IEnumerable<string> found, int minimumFiles, int budget)
    {
        var files = found.ToArray();
        Assert.True(files.Length >= minimumFiles, $"only {files.Length} files of {part} found");
        int lines = files.Sum(f => File.ReadLines(f).Count());
        Assert.True(lines <= budget, $"{part} is {lines} lines in {files.Length} files, over its budget of {budget}");
    }

    private static bool IsTeaching(string file) => file.Contains($"Graph{Sep}Teaching{Sep}") || file.Contains($"Ops{Sep}Teaching{Sep}");

    private static bool IsCompiler(string file) => file.Contains($"Graph{Sep}Compiler{Sep}") || file.Contains($"Ops{Sep}Rewrites{Sep}");

    private static IEnumerable<string> SourceFiles(params string[] folders)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "GraphDiff.sln"))) root = root.Parent;
        Assert.True(root is not null, "the repository root (GraphDiff.sln) was not found above the test's folder");
        return folders
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root!.FullName, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Sep}obj{Sep}") && !f.Contains($"{Sep}bin{Sep}"));
    }
}
