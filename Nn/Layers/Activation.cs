namespace GraphDiff.Nn;

/// <summary>
/// The activation g of a layer, A = g(Z): one of the built-ins (<see cref="ReLU"/>, <see cref="Tanh"/>, …) or a
/// one-operand operation of your own that keeps its operand's shape (<see cref="Of"/>), such as an
/// <see cref="Elementwise"/>. What the output means for the default cost comes from the operation's declaration
/// (<see cref="OperationInfo.Meaning"/>): a probability (σ) gets binary cross-entropy, distributions (softmax) get
/// softmax cross-entropy. Model files save it by name.
/// </summary>
public sealed class Activation : IEquatable<Activation>
{
    private Activation(string name, Operation? operation) => (Name, Operation) = (name, operation);

    /// <summary>g(z) = z: a linear output (regression).</summary>
    public static Activation Identity { get; } = new("Identity", null);
    /// <summary>σ(z): the output of binary classification.</summary>
    public static Activation Sigmoid { get; } = BuiltIn("Sigmoid");
    /// <summary>tanh(z): the course's shallow network's hidden layer.</summary>
    public static Activation Tanh { get; } = BuiltIn("Tanh");
    /// <summary>max(z, 0): the course's deep network's hidden layers.</summary>
    public static Activation ReLU { get; } = BuiltIn("ReLU");
    /// <summary>max(z, αz) with the small slope α = 0.01.</summary>
    public static Activation LeakyReLU { get; } = BuiltIn("LeakyReLU", ("alpha", 0.01));
    /// <summary>Softmax over each column: the output of multi-class classification.</summary>
    public static Activation Softmax { get; } = BuiltIn("Softmax");

    /// <summary>The built-in activations, in the order above.</summary>
    public static IReadOnlyList<Activation> BuiltIns { get; } = [Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax];

    /// <summary>
    /// <paramref name="operation"/> as an activation: it must take one operand and keep its shape. To save the
    /// network in a model file, register the operation (<see cref="OperationRegistry.Register(Operation)"/>).
    /// </summary>
    public static Activation Of(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (BuiltIns.FirstOrDefault(b => b.Operation == operation) is { } builtIn) return builtIn;
        var probe = Graph.Input("z", 3);
        Shape shape;
        try { shape = operation.InferShape([probe]); }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or ShapeMismatchException)
        {
            throw new ArgumentException($"Operation '{operation.Name}' cannot be an activation: it must take one operand ({e.Message}).", nameof(operation), e);
        }
        if (shape != probe.Shape)
            throw new ArgumentException($"Operation '{operation.Name}' cannot be an activation: it must keep its operand's shape, but turns {probe.Shape} into {shape}.", nameof(operation));
        return new Activation(operation.Name, operation);
    }

    /// <summary>The name a model file saves, e.g. <c>ReLU</c>: the operation's name, or <c>Identity</c>.</summary>
    public string Name { get; }

    /// <summary>The operation g applies; <c>null</c> for <see cref="Identity"/>.</summary>
    public Operation? Operation { get; }

    /// <summary>What the output means (<see cref="OperationMeaning.Probability"/> for σ, <see cref="OperationMeaning.Distribution"/> for softmax), from the operation's declaration.</summary>
    public OperationMeaning Meaning => Operation?.Info.Meaning ?? OperationMeaning.None;

    /// <summary>A = g(Z) as a node (Z itself for <see cref="Identity"/>).</summary>
    internal Node Apply(Node z)
    {
        ArgumentNullException.ThrowIfNull(z);
        return Operation is null ? z : Node.Apply(Operation, [z]);
    }

    /// <summary>The course's upper-case name, as in <c>[LINEAR→RELU]</c>.</summary>
    internal string CourseName => Name.ToUpperInvariant();

    private static Activation BuiltIn(string name, params (string Key, double Value)[] attributes) =>
        new(name, OperationRegistry.Create(name, attributes.ToDictionary(a => a.Key, a => a.Value)));

    /// <summary>The same name and operation parameters.</summary>
    public bool Equals(Activation? other) =>
        other is not null && Name == other.Name && (Operation?.Attributes ?? new Dictionary<string, double>()).OrderBy(a => a.Key)
            .SequenceEqual((other.Operation?.Attributes ?? new Dictionary<string, double>()).OrderBy(a => a.Key));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Activation);

    /// <inheritdoc />
    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    /// <summary>Whether both are the same activation (or both null).</summary>
    public static bool operator ==(Activation? left, Activation? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether they differ.</summary>
    public static bool operator !=(Activation? left, Activation? right) => !(left == right);

    /// <summary>The name, e.g. <c>ReLU</c>.</summary>
    public override string ToString() => Name;
}
