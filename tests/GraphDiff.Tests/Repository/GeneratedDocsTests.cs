namespace GraphDiff.Tests;

/// <summary>
/// The README's table of operations and local derivatives is the operation catalogue, generated from the
/// operations: this test fails when they differ. To regenerate after changing an operation, run
/// <c>GRAPHDIFF_WRITE_DOCS=1 dotnet test GraphDiff.sln --filter GeneratedDocsTests</c>.
/// </summary>
public class GeneratedDocsTests
{
    private const string Begin = "<!-- operations: generated from OperationCatalogue by GeneratedDocsTests; do not edit -->";
    private const string End = "<!-- operations: end -->";

    [Fact]
    public void TheReadmesOperationTableIsTheCatalogue()
    {
        var readme = Path.Combine(Repository.Root, "README.md");
        var text = File.ReadAllText(readme).ReplaceLineEndings("\n");
        int start = text.IndexOf(Begin, StringComparison.Ordinal), end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md lacks the markers {Begin} … {End}");
        var generated = OperationCatalogue.ToMarkdown(OperationCatalogue.Of(typeof(Op))).ReplaceLineEndings("\n");
        var current = text[(start + Begin.Length)..end].Trim('\n') + "\n";
        if (Environment.GetEnvironmentVariable("GRAPHDIFF_WRITE_DOCS") == "1" && current != generated)
        {
            File.WriteAllText(readme, text[..(start + Begin.Length)] + "\n" + generated + text[end..]);
            return;
        }
        Assert.True(current == generated,
            "README.md's operation table differs from the catalogue; run GRAPHDIFF_WRITE_DOCS=1 dotnet test GraphDiff.sln --filter GeneratedDocsTests");
    }

    [Fact]
    public void TheCatalogueListsEveryBuilderWithItsDerivativePrintedFromBackward()
    {
        var entries = OperationCatalogue.Of(typeof(Op));
        Assert.True(entries.Count >= 30, $"only {entries.Count} builders catalogued");
        var tanh = entries.Single(e => e.Builder == "Op.Tanh(z)");
        Assert.Equal("g * (1 - Tanh(z)²)", tanh.Derivatives[0].Gradient!.ToString());
        Assert.Null(entries.Single(e => e.Builder == "Op.Step(x)").Derivatives[0].Gradient);
        Assert.Equal(["g * b", "g * a"], entries.Single(e => e.Builder == "Op.Multiply(a, b)").Derivatives.Select(d => d.Gradient!.ToString()));
    }

    [Fact]
    public void EveryOperationTypeIsReachedFromACataloguedBuilder()
    {
        // A new operation class without a public builder would be missing from the table and from these checks.
        var reached = OperationCatalogue.Of(typeof(Op))
            .SelectMany(e => Graph.Order([e.Node, .. e.Derivatives.Where(d => d.Gradient is not null).Select(d => d.Gradient!)]))
            .Select(n => n.Operation.GetType()).ToHashSet();
        var types = typeof(Op).Assembly.GetTypes()
            .Where(t => typeof(Operation).IsAssignableFrom(t) && !t.IsAbstract && !t.IsGenericTypeDefinition).ToArray();
        // An operation of one geometry (declared with SampleShapes) is checked through its examples instead.
        var examples = Op.Operations.Where(o => o.Info.SampleShapes is not null).Select(o => o.GetType()).ToHashSet();
        var missing = types.Where(t => !reached.Contains(t) && !examples.Contains(t) && !reached.Any(r => r.IsGenericType && r.GetGenericTypeDefinition() == t)).Select(t => t.Name).ToArray();
        Assert.True(missing.Length == 0, $"operation types no catalogued builder reaches: {string.Join(", ", missing)}");
    }
}
