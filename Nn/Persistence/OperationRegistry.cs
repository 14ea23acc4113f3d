namespace GraphDiff;

/// <summary>
/// Operations by name, for reading graphs back from files: every built-in operation is registered, and a
/// user's own operation must be registered (under its <see cref="Operation.Name"/>) before a graph using it is
/// saved or loaded. An operation without parameters registers as its instance, and stands for every instance of its
/// class (a class-based operation may make a new instance per node); a compact-form <see cref="Elementwise"/> or
/// <see cref="ElementwiseBinary"/> stands only for itself, since its instances differ by their functions. One with
/// parameters registers a factory that rebuilds it from its <see cref="Operation.Attributes"/> (its declared
/// <see cref="OperationInfo.Rebuild"/>, or one given). The built-ins are registered from <see cref="Op.Operations"/>.
/// Names are global to the process: two libraries cannot both register a "Swish".
/// </summary>
public static class OperationRegistry
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, double>, Operation>> Factories = new(StringComparer.Ordinal);
    // The instance each parameterless name stands for: a second, different instance under one name is a mistake.
    private static readonly Dictionary<string, Operation> Instances = new(StringComparer.Ordinal);

    // The built-ins from their declarations: one with parameters by its Rebuild, one without as itself.
    static OperationRegistry()
    {
        foreach (var op in Op.Operations.Append(Gradients.SumOperation))
        {
            if (ReferenceEquals(op.Info.Rebuild, OperationInfo.NotSaved)) continue;
            if (op.Info.Rebuild is { } rebuild) AddFactory(op.Name, rebuild);
            else Add(op);
        }
    }

    /// <summary>
    /// Registers <paramref name="operation"/> under its name: itself when it has no parameters, else its declared
    /// <see cref="OperationInfo.Rebuild"/>. Registering the same again does nothing; another operation under a name
    /// already taken is refused.
    /// </summary>
    public static void Register(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Attributes.Count > 0 && operation.Info.Rebuild is { } rebuild && !ReferenceEquals(rebuild, OperationInfo.NotSaved))
        {
            lock (Gate)
                if (!Factories.TryGetValue(operation.Name, out var known) || !ReferenceEquals(known, rebuild)) Register(operation.Name, rebuild);
            return;
        }
        if (operation.Attributes.Count > 0)
            throw new ArgumentException($"Operation '{operation.Name}' has parameters ({string.Join(", ", operation.Attributes.Keys)}); declare its Info.Rebuild or register a factory with Register(name, attributes => …) instead.", nameof(operation));
        lock (Gate)
        {
            if (Instances.TryGetValue(operation.Name, out var known) && SameOperation(known, operation)) return;
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

    /// <summary>
    /// Whether <paramref name="operation"/> can be rebuilt from its name and attributes: for one without parameters,
    /// the registered instance is this one or, for a class-based operation, of the same class.
    /// </summary>
    public static bool IsRegistered(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        lock (Gate)
            return Instances.TryGetValue(operation.Name, out var known) ? SameOperation(known, operation) : Factories.ContainsKey(operation.Name);
    }

    // Two parameterless instances of one operation class compute the same thing; the compact forms' instances do not.
    private static bool SameOperation(Operation known, Operation other) =>
        ReferenceEquals(known, other)
        || known.GetType() == other.GetType() && known is not (Elementwise or ElementwiseBinary) && known.Name == other.Name;

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
        foreach (var node in Graph.Order(outputs))
        {
            if (node.IsLeaf) continue;
            var op = node.Operation;
            if (!IsRegistered(op))
            {
                bool taken;
                lock (Gate) taken = Factories.ContainsKey(op.Name);
                throw new InvalidOperationException(taken
                    ? $"Node {node.Label} (built at {node.Location}) uses an operation named '{op.Name}', but that name is registered to another operation{(Op.Operations.Any(b => b.Name == op.Name) ? " (a built-in)" : "")}: give yours a name of its own, and register it, so that the graph can be read back."
                    : $"Node {node.Label} (built at {node.Location}) uses operation '{op.Name}', which is not registered: call OperationRegistry.Register(yourOperation) (or Register(\"{op.Name}\", attributes => …) when it has parameters) so that the graph can be read back.");
            }
            RebuildProbe.EnsureRebuildsAlike(op, node.Inputs.Select(i => i.Shape).ToArray(), node.Shape, $"Node {node.Label} (built at {node.Location})");
        }
    }

    private static void Add(Operation operation)
    {
        Instances[operation.Name] = operation;
        Factories[operation.Name] = _ => operation;
    }

    private static void AddFactory(string name, Func<IReadOnlyDictionary<string, double>, Operation> create) => Factories[name] = create;
}
