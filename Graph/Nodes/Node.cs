using System.Runtime.CompilerServices;

namespace GraphDiff;

/// <summary>
/// A node of the computation graph: an operation applied to input nodes, with its inferred shape, an optional
/// name, and the source line where it was built. A node's operation, operands, shape and name never change
/// (the compiler's stamp of what it already compiled is the one thing recorded on a node later); a graph is the
/// set of nodes reachable from an output. Leaves are <see cref="Variable"/>, <see cref="Input"/> and <see cref="Constant"/>.
/// </summary>
public class Node
{
    private static long nextId;
    private readonly Node[] inputs;

    /// <summary>Builds an operation node; the shape is inferred (and checked) by <paramref name="operation"/>.</summary>
    protected internal Node(Operation operation, Node[] inputs, SourceLocation location, string? name = null)
    {
        Operation = operation;
        this.inputs = inputs;
        Location = location;
        Name = name;
        if (!operation.AcceptsAnyRank && inputs.FirstOrDefault(i => i.Shape.Rank > 2) is { } image)
            throw ShapeMismatchException.For(operation.Name, inputs,
                $"{operation.Name} works on matrices (rank 2), and {image.Label} has rank {image.Shape.Rank}; " +
                $"flatten it to {image.Shape.Rows}×{Shape.FormatDimension(image.Shape.Columns)} first with Op.Flatten({image.Label})");
        Shape = operation.InferShape(inputs);
        if ((Shape.Rows <= 0 && Shape.Rows != Shape.Batch) || (Shape.Columns <= 0 && Shape.Columns != Shape.Batch))
            throw new InvalidOperationException(
                $"{operation.Name}.InferShape returned {Shape} for operands {string.Join(", ", inputs.Select(i => $"{i.Label} ({i.Shape})"))} at {location}; dimensions must be sizes of at least 1 or Shape.Batch.");
        // Messages are built only on failure: a label can cost a walk over the graph.
        if (!Shape.Fits()) Shape.EnsureFits($"{operation.Name}({string.Join(", ", inputs.Select(i => i.Label))}) at {location}", 1);
        // Ids grow with creation, and a node's inputs exist before it: sorting by id is a topological order.
        Id = Interlocked.Increment(ref nextId);
    }

    /// <summary>Builds a leaf of a known shape.</summary>
    private protected Node(Operation leafOperation, Shape shape, SourceLocation location, string? name)
    {
        if (shape.Rows <= 0 && shape.Rows != Shape.Batch || shape.Columns <= 0 && shape.Columns != Shape.Batch || !shape.Fits())
            Shape.Validate(shape.Rows, shape.Columns, $"{leafOperation.Name} {(name is null ? "" : $"'{name}' ")}at {location}");
        Operation = leafOperation;
        inputs = [];
        Shape = shape;
        Location = location;
        Name = name;
        Id = Interlocked.Increment(ref nextId);
    }

    /// <summary>
    /// Applies <paramref name="operation"/> to <paramref name="inputs"/>: the way every operation, built-in or
    /// user-defined, makes its node. The node records the caller's file and line (or the location of an
    /// enclosing <see cref="SourceLocation.Use(SourceLocation)"/> scope), which error messages quote. Throws
    /// <see cref="ShapeMismatchException"/> when the shapes do not fit.
    /// </summary>
    public static Node Apply(Operation operation, IReadOnlyList<Node> inputs, string? name = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Apply(operation, inputs, new SourceLocation(file, line), name);

    /// <summary>
    /// Applies <paramref name="operation"/> to <paramref name="inputs"/>, attributed to <paramref name="location"/>
    /// (unless an enclosing <see cref="SourceLocation.Use(SourceLocation)"/> scope says otherwise): for builders
    /// that take their caller's file and line themselves, and for operators (<see cref="SourceLocation.FromStack(int)"/>).
    /// </summary>
    public static Node Apply(Operation operation, IReadOnlyList<Node> inputs, SourceLocation location, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Count; i++)
            if (inputs[i] is null) throw new ArgumentNullException(nameof(inputs), $"{operation.Name}: operand {i} is null.");
        var resolved = SourceLocation.Resolve(location);
        return new Node(operation, operation.PrepareOperands(inputs, resolved).ToArray(), resolved, name);
    }

    /// <summary><see cref="Apply(Operation, IReadOnlyList{Node}, SourceLocation, string?)"/> over an array of operands no one else holds, used as it is.</summary>
    private static Node ApplyOwned(Operation operation, Node[] inputs, SourceLocation location, string? name)
    {
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null) throw new ArgumentNullException(nameof(inputs), $"{operation.Name}: operand {i} is null.");
        var resolved = SourceLocation.Resolve(location);
        var prepared = operation.PrepareOperands(inputs, resolved);
        return new Node(operation, ReferenceEquals(prepared, inputs) ? inputs : prepared.ToArray(), resolved, name);
    }

    /// <summary>A number unique to this node; larger for nodes built later.</summary>
    public long Id { get; }

    /// <summary>What this node computes.</summary>
    public Operation Operation { get; }

    /// <summary>The operands, in order; empty for a leaf.</summary>
    public IReadOnlyList<Node> Inputs => inputs;

    /// <summary>The shape of the value, checked when the node was built.</summary>
    public Shape Shape { get; }

    /// <summary>The user's name for this node, or <c>null</c>.</summary>
    public string? Name { get; }

    /// <summary>The source line where the node was built.</summary>
    public SourceLocation Location { get; }

    /// <summary>
    /// The compilation this node came out of, when it is the compiler's output: compiling it again under the
    /// same options and rules would change nothing, so plans of compiled gradients do not redo the work.
    /// </summary>
    internal object? CompiledUnder { get; set; }

    /// <summary>True for variables, inputs and constants.</summary>
    public virtual bool IsLeaf => false;

    /// <summary>How the node is referred to in messages: its name, or a short expression.</summary>
    public string Label => Name ?? NodeFormatter.Expression(this, NodeFormatter.LabelLength);

    /// <summary>
    /// A node that computes the same thing under a name (used in printing and messages). The original node is
    /// left as it is; use the returned one in the rest of the graph.
    /// </summary>
    public virtual Node Named(string name) => new(Operation, inputs, Location, name);

    /// <summary>
    /// This node's operation over the operands <paramref name="map"/> gives for its own, with its location and
    /// name: how a graph is rebuilt after a change below a node (a rewrite, a rename). The node itself when every
    /// operand maps to itself, with nothing allocated then.
    /// </summary>
    public Node WithInputs(Func<Node, Node> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        int k = 0;
        while (k < inputs.Length && ReferenceEquals(map(inputs[k]), inputs[k])) k++;
        if (k == inputs.Length) return this;
        var mapped = new Node[inputs.Length];
        for (int i = 0; i < mapped.Length; i++) mapped[i] = i < k ? inputs[i] : map(inputs[i]);
        return ApplyOwned(Operation, mapped, Location, Name);
    }

    /// <summary>The node as an expression, e.g. <c>3 * (a + b * c)</c>; large subexpressions are abbreviated.</summary>
    public override string ToString() => NodeFormatter.Expression(this, NodeFormatter.ExpressionLength);
}
