using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>NaN held by a leaf is reported; null operands and broken user operations get errors that name them.</summary>
public class LeafAndArgumentTests
{
    [Fact]
    public void NaNHeldByAVariableIsReportedEvenWhenNothingIsComputedFromIt()
    {
        var v = Graph.Variable("v", double.NaN);
        var error = Assert.Throws<NonFiniteValueException>(() => (v * 1.0).EvaluateScalar());
        Assert.Contains("'v'", error.Message);
        Assert.Throws<NonFiniteValueException>(() => v.EvaluateScalar());
    }

    [Fact]
    public void AGradientThroughReLUOfNaNIsNaNNotZero()
    {
        var z = Graph.Variable("z", double.NaN);
        var grad = Gradients.Of(Op.ReLU(z), z)[z];
        // Unchecked, so that the value itself is seen: Step(NaN) used to be 0, a silently zero gradient.
        var plan = new EvaluationPlan(grad) { CheckFinite = false };
        Assert.True(double.IsNaN(plan.Run()[grad][0, 0]));
        Assert.Throws<NonFiniteValueException>(() => grad.EvaluateScalar());
    }

    [Fact]
    public void AnOverflowingSumPointsAtTheOperandElementNotTheResult()
    {
        var x = Graph.Variable("x", DenseMatrix.OfArray(new double[,] { { 1, 2 }, { 1e308, 3 }, { 1e308, 4 } }));
        var error = Assert.Throws<NonFiniteValueException>(() => Op.Sum(x).EvaluateScalar());
        Assert.Contains("row 1, column 0", error.Message);
        Assert.Contains("largest element", error.Message);
    }

    [Fact]
    public void AConstantMustBeFinite()
    {
        Assert.Throws<ArgumentException>(() => Graph.Constant(double.NaN));
        Assert.Throws<ArgumentException>(() => Graph.Filled(new Shape(2, 2), double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => Graph.Constant(DenseMatrix.Create(2, 2, double.NaN)));
    }

    /// <summary>Every public builder of nodes, called with null for each node parameter in turn.</summary>
    public static TheoryData<string, string> NodeParameters()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in Builders())
            // An optional operand (Conv2D's bias = null) takes null by design.
            foreach (var p in method.GetParameters().Where(p => typeof(Node).IsAssignableFrom(p.ParameterType) && !(p.HasDefaultValue && p.DefaultValue is null)))
                data.Add(Describe(method), p.Name!);
        return data;
    }

    private static IEnumerable<MethodInfo> Builders() =>
        new[] { typeof(Op), typeof(Graph), typeof(Gradients), typeof(GradientCheck), typeof(NodeOperators) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => !m.IsGenericMethodDefinition && m.GetParameters().Any(p => typeof(Node).IsAssignableFrom(p.ParameterType)));

    private static string Describe(MethodInfo m) => $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

    [Theory]
    [MemberData(nameof(NodeParameters))]
    public void EveryBuilderRefusesANullOperandNamingTheParameter(string method, string parameter)
    {
        var target = Builders().Single(m => Describe(m) == method);
        var x = Graph.Variable("x", DenseMatrix.Create(2, 2, 0.5));
        var args = target.GetParameters().Select(p =>
            p.Name == parameter ? null
            : typeof(Node).IsAssignableFrom(p.ParameterType) ? (p.ParameterType == typeof(Variable) ? x : p.ParameterType.IsInstanceOfType(x) ? x : (object?)null)
            : p.HasDefaultValue ? p.DefaultValue
            : p.ParameterType == typeof(double) ? 0.5
            : p.ParameterType == typeof(bool) ? false
            : p.ParameterType == typeof(string) ? "s"
            : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType)
            : p.ParameterType.IsAssignableFrom(typeof(Node[])) ? new Node[] { x }
            : null).ToArray();
        var error = Assert.Throws<TargetInvocationException>(() => target.Invoke(null, args)).InnerException;
        var nullError = Assert.IsType<ArgumentNullException>(error, exactMatch: false);
        Assert.Equal(parameter, nullError.ParamName);
    }

    [Fact]
    public void PowerOfNullIsRefusedNotReturned()
    {
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Op.Power(null!, 1)).ParamName);
        Node? none = null;
        Assert.Throws<ArgumentNullException>(() => none! + 0.0);
        Assert.Throws<ArgumentNullException>(() => -none!);
        Assert.Throws<ArgumentNullException>(() => Op.MatMul(null!, Graph.Variable("W", 1.0)));
    }

    private sealed class NullBackward : Operation
    {
        public override string Name => "Forgetful";
        public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;
        public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) => inputs[0].CopyTo(result);
        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => null!;
    }

    [Fact]
    public void AUserBackwardReturningNullIsNamed()
    {
        var x = Graph.Variable("x", 1.0);
        var error = Assert.Throws<InvalidOperationException>(() => Gradients.Of(Node.Apply(new NullBackward(), [x]), x));
        Assert.Contains("Forgetful.Backward returned null", error.Message);
    }

    [Fact]
    public void SparseMatricesAreDensifiedAsVariablesAndFeeds()
    {
        var sparse = SparseMatrix.OfArray(new double[,] { { 1, 0 }, { 0, 2 } });
        var v = Graph.Variable("S", sparse);
        Assert.Equal(3.0, Op.Sum(v).EvaluateScalar());
        var x = Graph.Input("X", 2);
        Assert.Equal(3.0, Op.Sum(x).EvaluateScalar(new Feed { { x, sparse } }));
        v.Value = SparseMatrix.OfArray(new double[,] { { 5, 0 }, { 0, 0 } });
        Assert.Equal(5.0, Op.Sum(v).EvaluateScalar());
    }
}
