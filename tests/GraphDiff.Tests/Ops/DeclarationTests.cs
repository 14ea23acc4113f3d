namespace GraphDiff.Tests;

/// <summary>
/// Every built-in operation declares everything about itself (<see cref="Operation.Info"/>) or says "none", and
/// <see cref="Op.Operations"/> — the list the registry, the exporters and the tests enumerate — holds every one.
/// </summary>
public class DeclarationTests
{
    [Fact]
    public void EveryBuiltInOperationDeclaresItsDomainOnnxFormCodeAndRebuildOrSaysNone()
    {
        Assert.True(Op.Operations.Count >= 30, $"only {Op.Operations.Count} built-in operations found");
        var undeclared = Op.Operations.Select(o => (o, Missing: OperationInfo.Missing(o))).Where(x => x.Missing.Count > 0)
            .Select(x => $"{x.o.Name}({string.Join(", ", x.o.Attributes.Select(a => $"{a.Key}={a.Value}"))}) declares no {string.Join(", no ", x.Missing)}")
            .ToArray();
        Assert.True(undeclared.Length == 0,
            "Declare each part in the operation's Info, or say \"none\" (OperationInfo.NotSampled, OperationInfo.NoOnnx, Code = \"\", OperationInfo.NotSaved):\n" + string.Join("\n", undeclared));
    }

    [Fact]
    public void AnOperationThatDeclaresNothingIsReportedAndOneThatSaysNoneIsNot()
    {
        static void Cube(ReadOnlySpan<double> x, Span<double> y) { for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i] * x[i]; }
        var silent = new Elementwise("SilentCube", Cube, derivative: (x, y) => 3.0 * Op.Square(x));
        Assert.Equal(["Domain", "Onnx", "Code"], OperationInfo.Missing(silent));
        var none = new Elementwise("NoneCube", Cube, derivative: (x, y) => 3.0 * Op.Square(x))
        {
            Info = new() { Domain = OperationInfo.NotSampled, Onnx = OperationInfo.NoOnnx, Code = "" },
        };
        Assert.Empty(OperationInfo.Missing(none));
        // An operation with parameters must also say how it is rebuilt from them.
        var power = Op.Operations.First(o => o.Name == "Power");
        Assert.Empty(OperationInfo.Missing(power));
        Assert.Equal(["Rebuild"], OperationInfo.Missing(new ParametrisedProbe(power) { Info = power.Info with { Rebuild = null } }));
    }

    /// <summary>An operation with a parameter that declares everything but its rebuild.</summary>
    private sealed class ParametrisedProbe(Operation inner) : Operation
    {
        public override string Name => inner.Name;
        public override IReadOnlyDictionary<string, double> Attributes => inner.Attributes;
        public override Shape InferShape(IReadOnlyList<Node> inputs) => inner.InferShape(inputs);
        public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => inner.Forward(inputs, result);
        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => inner.Backward(node, upstream);
    }

    [Fact]
    public void EveryOperationClassHasAnInstanceAmongTheBuiltIns()
    {
        // A class with no static instance (or Examples) would be missing from every enumerating test.
        var listed = Op.Operations.Select(o => o.GetType()).ToHashSet();
        var classes = typeof(Op).Assembly.GetTypes()
            .Where(t => typeof(Operation).IsAssignableFrom(t) && !t.IsAbstract && !t.IsGenericTypeDefinition).ToArray();
        var missing = classes.Where(t => !listed.Contains(t) && !listed.Any(l => l.IsGenericType && l.GetGenericTypeDefinition() == t)).Select(t => t.Name).ToArray();
        Assert.True(missing.Length == 0, $"operation classes without an instance in Op.Operations: {string.Join(", ", missing)}");
    }

    [Fact]
    public void TheRegistryRebuildsEveryBuiltInFromItsNameAndAttributes()
    {
        foreach (var operation in Op.Operations.Where(o => !ReferenceEquals(o.Info.Rebuild, OperationInfo.NotSaved)))
        {
            Assert.True(OperationRegistry.IsRegistered(operation), $"{operation.Name} is not registered");
            var rebuilt = OperationRegistry.Create(operation.Name, operation.Attributes);
            Assert.Equal(operation.GetType(), rebuilt.GetType());
            Assert.Equal(operation.Name, rebuilt.Name);
            Assert.Equal(operation.Attributes.OrderBy(a => a.Key), rebuilt.Attributes.OrderBy(a => a.Key));
        }
    }

    [Fact]
    public void BuiltInNamesAreDistinctButForParametersOfOneOperation()
    {
        // Operations of one name are one class with different parameters: the name alone finds the rebuild.
        var clashes = Op.Operations.GroupBy(o => o.Name).Where(g => g.Select(o => o.GetType()).Distinct().Count() > 1).Select(g => g.Key).ToArray();
        Assert.True(clashes.Length == 0, $"names used by different operations: {string.Join(", ", clashes)}");
    }

    [Fact]
    public void EveryBuiltInOperationIsReachedFromTheBuildersTheReadmeTableLists()
    {
        // The README's table, the second-order, kink, KeepsFinite and empty-batch tests enumerate the public builders:
        // they cover every operation of Op.Operations, directly or in a derivative.
        var reached = OperationCatalogue.Of(typeof(Op))
            .SelectMany(e => Graph.Order([e.Node, .. e.Derivatives.Where(d => d.Gradient is not null).Select(d => d.Gradient!)]))
            .Where(n => !n.IsLeaf).Select(n => n.Operation.Name).ToHashSet();
        // An operation of one geometry (declared with SampleShapes) is checked through its examples instead.
        var missing = Op.Operations.Where(o => o.Info.SampleShapes is null).Select(o => o.Name).Distinct().Where(n => !reached.Contains(n)).ToArray();
        Assert.True(missing.Length == 0, $"built-in operations no public builder reaches: {string.Join(", ", missing)}");
    }
}
