namespace GraphDiff;

/// <summary>
/// Operations by name, for reading graphs back from files: every built-in operation is registered, and a
/// user's own operation must be registered (under its <see cref="Operation.Name"/>) before a graph using it is
/// saved or loaded. An operation without parameters registers as its instance; one with parameters registers
/// a factory that rebuilds it from its <see cref="Operation.Attributes"/>.
/// </summary>
public static class OperationRegistry
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, double>, Operation>> Factories = new(StringComparer.Ordinal);
    // The instance each parameterless name stands for: a second, different instance under one name is a mistake.
    private static readonly Dictionary<string, Operation> Instances = new(StringComparer.Ordinal);

    static OperationRegistry()
    {
        foreach (var op in new Operation[]
                 {
                     Op.AddOperation, Op.SubtractOperation, Op.MultiplyOperation, Op.DivideOperation, NegateOperation.Instance,
                     Op.ExpOperation, Op.LogOperation, Op.SqrtOperation, Op.SquareOperation, Op.AbsOperation, Op.SigmoidOperation,
                     Op.SoftplusOperation, Op.TanhOperation, Op.ReLUOperation, Op.StepOperation,
                     TransposeOperation.Instance, BroadcastToOperation.Instance, SoftmaxOperation.Plain, SoftmaxOperation.Log,
                     BinaryCrossEntropyOperation.Instance, BinaryCrossEntropyWithLogitsOperation.Instance,
                     SoftmaxCrossEntropyOperation.Instance, DistributionLabelsOperation.Instance,
                 })
            Add(op);
        AddFactory("MatMul", a => MatMulOperation.For(Flag(a, "transposeA"), Flag(a, "transposeB")));
        AddFactory("Sum", a => SumOperation.For(Axis(a)));
        AddFactory("Count", a => CountOperation.For(Axis(a)));
        AddFactory("Clip", a => Required(a, "low") <= Required(a, "high")
            ? new ClipOperation(a["low"], a["high"])
            : throw new ArgumentOutOfRangeException(nameof(a), $"Clip: low ({a["low"]}) exceeds high ({a["high"]})."));
        AddFactory("LeakyReLU", a => Required(a, "alpha") is >= 0 and < 1 ? new LeakyReLUOperation(a["alpha"])
            : throw new ArgumentOutOfRangeException(nameof(a), $"LeakyReLU: the slope α must be in [0, 1), got {a["alpha"]}."));
        AddFactory("Power", a => double.IsFinite(Required(a, "exponent")) ? new PowerOperation(a["exponent"])
            : throw new ArgumentOutOfRangeException(nameof(a), $"Power: the exponent must be finite, got {a["exponent"]}."));
    }

    /// <summary>
    /// Registers <paramref name="operation"/> (without parameters) under its name. Registering the same instance
    /// again does nothing; another operation under a name already taken is refused.
    /// </summary>
    public static void Register(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Attributes.Count > 0)
            throw new ArgumentException($"Operation '{operation.Name}' has parameters ({string.Join(", ", operation.Attributes.Keys)}); register a factory with Register(name, attributes => …) instead.", nameof(operation));
        lock (Gate)
        {
            if (Instances.TryGetValue(operation.Name, out var known) && ReferenceEquals(known, operation)) return;
            if (Factories.ContainsKey(operation.Name))
                throw new ArgumentException($"An operation named '{operation.Name}' is already registered; give yours another name.", nameof(operation));
            Add(operation);
        }
    }

    /// <summary>Registers a factory that rebuilds the operation named <paramref name="name"/> from its attributes.</summary>
    public static void Register(string name, Func<IReadOnlyDictionary<string, double>, Operation> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        lock (Gate)
        {
            if (Factories.ContainsKey(name))
                throw new ArgumentException($"An operation named '{name}' is already registered; give yours another name.", nameof(name));
            AddFactory(name, create);
        }
    }

    /// <summary>Whether <paramref name="operation"/> can be rebuilt from its name and attributes (it is this very instance, for one without parameters).</summary>
    public static bool IsRegistered(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        lock (Gate)
            return Instances.TryGetValue(operation.Name, out var known) ? ReferenceEquals(known, operation) : Factories.ContainsKey(operation.Name);
    }

    /// <summary>
    /// The operation named <paramref name="name"/> with <paramref name="attributes"/>. Throws
    /// <see cref="KeyNotFoundException"/> for a name nobody registered, saying how to register it.
    /// </summary>
    public static Operation Create(string name, IReadOnlyDictionary<string, double> attributes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(attributes);
        Func<IReadOnlyDictionary<string, double>, Operation>? create;
        lock (Gate) Factories.TryGetValue(name, out create);
        if (create is null)
            throw new KeyNotFoundException($"Operation '{name}' is not registered. If it is your own operation, call OperationRegistry.Register(yourOperation) (or Register(\"{name}\", attributes => …) when it has parameters) before loading.");
        return create(attributes);
    }

    /// <summary>Refuses a graph that could not be read back: names the first operation that is not registered and how to register it.</summary>
    public static void EnsureRegistered(IEnumerable<Node> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        foreach (var node in Topology.Order(outputs))
            if (!node.IsLeaf && !IsRegistered(node.Operation))
                throw new InvalidOperationException(
                    $"Node {node.Label} (built at {node.Location}) uses operation '{node.Operation.Name}', which is not registered: call OperationRegistry.Register(yourOperation) (or Register(\"{node.Operation.Name}\", attributes => …) when it has parameters) so that the graph can be read back.");
    }

    private static void Add(Operation operation)
    {
        Instances[operation.Name] = operation;
        Factories[operation.Name] = _ => operation;
    }

    private static void AddFactory(string name, Func<IReadOnlyDictionary<string, double>, Operation> create) => Factories[name] = create;

    private static double Required(IReadOnlyDictionary<string, double> attributes, string key) =>
        attributes.TryGetValue(key, out var v) ? v : throw new ArgumentException($"the attribute '{key}' is missing");

    private static bool Flag(IReadOnlyDictionary<string, double> attributes, string key) => Required(attributes, key) switch
    {
        0 => false,
        1 => true,
        var v => throw new ArgumentOutOfRangeException(key, $"the attribute '{key}' must be 0 or 1, got {v}"),
    };

    private static int? Axis(IReadOnlyDictionary<string, double> attributes) =>
        !attributes.TryGetValue("axis", out var a) ? null
        : a is 0 or 1 ? (int)a : throw new ArgumentOutOfRangeException(nameof(attributes), $"the attribute 'axis' must be 0 or 1, got {a}");
}
