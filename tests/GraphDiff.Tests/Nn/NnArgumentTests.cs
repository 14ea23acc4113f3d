using System.Reflection;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>Every public static entry point of the Nn library refuses null for a non-nullable parameter, naming it.</summary>
public class NnArgumentTests
{
    private static readonly NullabilityInfoContext Nullability = new();

    private static IEnumerable<MethodInfo> EntryPoints() =>
        new[] { typeof(Network).Assembly, typeof(Plots).Assembly, typeof(GraphDiff.Onnx.OnnxExport).Assembly }.SelectMany(a => a.GetExportedTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName && !m.IsGenericMethodDefinition);

    private static string Describe(MethodInfo m) => $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

    private static bool IsRequiredReference(ParameterInfo p) =>
        !p.ParameterType.IsValueType && Nullability.Create(p).WriteState == NullabilityState.NotNull && !p.HasDefaultValue;

    public static TheoryData<string, string> RequiredReferences()
    {
        var data = new TheoryData<string, string>();
        foreach (var m in EntryPoints())
            foreach (var p in m.GetParameters().Where(IsRequiredReference))
                data.Add(Describe(m), p.Name!);
        return data;
    }

    /// <summary>A valid argument of <paramref name="type"/>, so that only the null one can be wrong.</summary>
    private static object? Valid(Type type)
    {
        var x = Graph.Variable("w", DenseMatrix.Create(1, 2, 0.5));
        if (type == typeof(int)) return 1;
        if (type == typeof(double)) return 0.5;
        if (type == typeof(bool)) return false;
        if (type == typeof(string)) return Path.Combine(Path.GetTempPath(), "graphdiff-argument-test.tmp");
        if (type.IsEnum) return Enum.GetValues(type).GetValue(0);
        if (type.IsAssignableFrom(typeof(DenseMatrix))) return DenseMatrix.Create(2, 3, 0.5);
        if (type == typeof(Network)) return Network.LogisticRegression(2);
        if (type == typeof(Input)) return Graph.Input("X", 2);
        if (type.IsAssignableFrom(typeof(Variable))) return x;
        if (type.IsAssignableFrom(typeof(int[]))) return new[] { 0, 1, 0 };
        if (type.IsAssignableFrom(typeof(Variable[]))) return new[] { x };
        if (type == typeof(Dataset)) return Dataset.Flower(10);
        if (type == typeof(Random)) return new Random(1);
        if (type == typeof(Model)) return Network.LogisticRegression(2).Model;
        if (type == typeof(TrainingData)) return new TrainingData();
        if (type == typeof(TrainingHistory))
            return Trainer.Train(Network.LogisticRegression(2), DenseMatrix.Create(2, 4, 0.5), DenseMatrix.Create(1, 4, (_, j) => j % 2), new TrainingOptions { Epochs = 2 });
        if (type == typeof(IEnumerable<(string, TrainingHistory)>)) return new[] { ("run", (TrainingHistory)Valid(typeof(TrainingHistory))!) };
        if (type == typeof(Func<Matrix<double>, int[]>)) return (Func<Matrix<double>, int[]>)(m => new int[m.ColumnCount]);
        if (type == typeof(Action<Stream>)) return (Action<Stream>)(_ => { });
        if (type == typeof(IReadOnlyList<(string, Node)>)) return new[] { ("y", (Node)Op.Tanh(x)) };
        if (type == typeof(IReadOnlyList<Node>)) return new Node[] { Op.Tanh(x) };
        if (type == typeof(GraphDiff.OnnxLowering)) return (GraphDiff.OnnxLowering)((onnx, node, inputs) => inputs[0]);
        if (type == typeof(IBatchSource)) return new MemoryBatches(new TrainingData { { Graph.Input("X", 2), DenseMatrix.Create(2, 4, 0.5) } });
        if (type == typeof(Func<IReadOnlyList<int>, Matrix<double>>)) return (Func<IReadOnlyList<int>, Matrix<double>>)Dataset.Row;
        if (type.IsValueType) return Activator.CreateInstance(type);
        return null;
    }

    [Theory]
    [MemberData(nameof(RequiredReferences))]
    public void NullIsRefusedNamingTheParameter(string method, string parameter)
    {
        var target = EntryPoints().Single(m => Describe(m) == method);
        var args = target.GetParameters().Select(p => p.Name == parameter ? null : p.HasDefaultValue ? p.DefaultValue : Valid(p.ParameterType)).ToArray();
        var error = Assert.Throws<TargetInvocationException>(() => target.Invoke(null, args)).InnerException;
        var nullError = Assert.IsType<ArgumentNullException>(error, exactMatch: false);
        Assert.Equal(parameter, nullError.ParamName);
    }
}
