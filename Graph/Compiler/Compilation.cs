using System.Text;

namespace GraphDiff;

/// <summary>The result of <see cref="Compiler.Compile(IReadOnlyList{Node}, CompileOptions)"/>: the compiled outputs and the report of every rewrite made.</summary>
public sealed class Compilation
{
    private readonly Dictionary<Node, Node> compiled;

    internal Compilation(IReadOnlyList<Node> outputs, IReadOnlyList<RewriteStep> report, Dictionary<Node, Node> compiled)
    {
        Outputs = outputs;
        Report = report;
        this.compiled = compiled;
    }

    /// <summary>The compiled outputs, in the order given.</summary>
    public IReadOnlyList<Node> Outputs { get; }

    /// <summary>What was rewritten, in the order it happened; empty when the graph was already in compiled form.</summary>
    internal IReadOnlyList<RewriteStep> Report { get; }

    /// <summary>The compiled counterpart of a node of the original graph (itself when nothing changed).</summary>
    public Node this[Node original] => compiled.TryGetValue(original, out var n)
        ? n
        : throw new ArgumentException($"{original.Label} is not part of the compiled graph.", nameof(original));

    /// <summary>True when <paramref name="original"/> is part of the graph that was compiled.</summary>
    public bool Contains(Node original) => compiled.ContainsKey(original);

    /// <summary>One line per rewrite, or a line saying there was none.</summary>
    public override string ToString()
    {
        if (Report.Count == 0) return "No rewrites: the graph is already in compiled form." + Environment.NewLine;
        var sb = new StringBuilder();
        foreach (var step in Report) sb.AppendLine(step.ToString());
        return sb.ToString();
    }
}
