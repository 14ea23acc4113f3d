using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests.Teaching;

/// <summary>
/// The emitted backprop code writes each operation as its declaration says (<see cref="OperationInfo.Code"/>):
/// every built-in's form, compiled, computes the operation's value on operands from its declared domain.
/// </summary>
public class DeclaredCodeTests
{
    [Fact]
    public void EveryDeclaredCodeFormComputesWhatTheOperationComputes()
    {
        var operations = DeclaredOperations.Sampled.Where(o => o.Info.Code is { Length: > 0 }).ToArray();
        Assert.True(operations.Length >= 20, $"only {operations.Length} operations declare a code form");
        var methods = operations.Select((o, k) =>
            $"    public static Matrix<double> F{k}(Matrix<double>[] a) => {string.Format(System.Globalization.CultureInfo.InvariantCulture, o.Info.Code!, "a[0]", "a[1]")};");
        var source = "using MathNet.Numerics.LinearAlgebra;\nusing GraphDiff;\npublic static class Forms\n{\n" + string.Join("\n", methods) + "\n}\n";
        var forms = BackpropCodeTests.Compile(source).GetType("Forms")!;
        var random = new Random(7);
        var shapesCase = new OpCase(3, 4, 2, PatternA: 1, PatternB: 2, Seed: 0);
        for (int k = 0; k < operations.Length; k++)
        {
            var operation = operations[k];
            var shapes = DeclaredOperations.ShapesFor(operation, shapesCase);
            var values = DeclaredOperations.Values(operation, shapes, random);
            var node = Node.Apply(operation, DeclaredOperations.Variables(shapes, values));
            var expected = node.Evaluate();
            var actual = (Matrix<double>)forms.GetMethod($"F{k}")!.Invoke(null, [values])!;
            Assert.True(expected.RowCount == actual.RowCount && expected.ColumnCount == actual.ColumnCount, $"{operation.Name}: {actual.RowCount}×{actual.ColumnCount}, not {node.Shape}");
            double worst = (expected - actual).Enumerate().Max(Math.Abs);
            Assert.True(worst <= 1e-12, $"{node} written as {operation.Info.Code} differs by {worst:E2}");
        }
    }
}
