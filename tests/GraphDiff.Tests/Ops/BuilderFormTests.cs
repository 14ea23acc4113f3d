using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// The builders build what the user wrote; the compiler makes the faster forms (a transpose read in place by the
/// product, x¹ and x², a broadcast to the shape a value already has) and says so in its report.
/// </summary>
public class BuilderFormTests
{
    private static Variable V(string name, int rows, int columns) => Graph.Variable(name, DenseMatrix.Create(rows, columns, (i, j) => 1 + i - 0.5 * j));

    [Fact]
    public void BuildersKeepTheFormAsWritten()
    {
        var (w, dz, x) = (V("W", 4, 3), V("dZ", 4, 5), V("x", 2, 3));
        var product = Op.MatMul(Op.Transpose(w), dz);
        Assert.IsType<TransposeOperation>(product.Inputs[0].Operation);
        Assert.Equal("Wᵀ·dZ", product.ToString());
        Assert.IsType<PowerOperation>(Op.Power(x, 1).Operation);
        Assert.IsType<PowerOperation>(Op.Power(x, 2).Operation);
        Assert.IsType<BroadcastToOperation>(Op.BroadcastTo(x, V("like", 2, 3)).Operation);
    }

    [Fact]
    public void TheCompileReportNamesTheRulesThatMakeTheFastForms()
    {
        var (w, dz, x) = (V("W", 4, 3), V("dZ", 4, 5), V("x", 2, 3));
        var cases = new (string Rule, Node Written, Func<Node, bool> IsCompiled)[]
        {
            ("TransposeIntoProduct", Op.MatMul(Op.Transpose(w), dz), n => n.Operation is MatMulOperation { TransposeA: true, TransposeB: false } && n.Inputs[0] == w),
            ("TransposeIntoProduct", Op.MatMul(dz, true, Op.Transpose(w), true), n => n.Operation is MatMulOperation { TransposeA: true, TransposeB: false } && n.Inputs[1] == w),
            ("SmallPowers", Op.Power(x, 1), n => n == x),
            ("SmallPowers", Op.Power(x, 2), n => n.Operation.Name == "Square" && n.Inputs[0] == x),
            ("BroadcastToOwnShape", Op.BroadcastTo(x, V("like", 2, 3)), n => n == x),
        };
        foreach (var (rule, written, isCompiled) in cases)
        {
            var compilation = Compiler.Compile(written);
            Assert.Contains(compilation.Report, step => step.Rule.Name == rule);
            Assert.Contains(rule, compilation.ToString());
            Assert.True(isCompiled(compilation.Outputs[0]), $"{written} compiled to {compilation.Outputs[0]}");
            Assert.Equal(new EvaluationPlan([written], compile: null).Run().Tensor(written).ToMatrixCopy(), compilation.Outputs[0].Evaluate());
        }
    }

    [Fact]
    public void TheDeepNetworksGradientPlanReadsTransposesThroughTheProductsFlags()
    {
        var deep = Network.Create([6, 5, 4, 1], new NetworkOptions { Seed = 1 });
        var gradients = Gradients.Of(deep.Cost, deep.Parameters);
        var plan = new EvaluationPlan([deep.Cost, .. gradients]);
        AssertNoTransposeFeedsAProduct(plan);
        Assert.Contains(plan.Steps, n => n.Operation is MatMulOperation { TransposeA: true } or MatMulOperation { TransposeB: true });
    }

    [Fact]
    public void AHandWrittenBackwardPassWithTransposesCompilesToFlaggedProducts()
    {
        // The course's dA1 = W2ᵀ·dZ2 and dW2 = dZ2·A1ᵀ, written with explicit transposes.
        var (w2, dz2, a1) = (V("W2", 1, 4), V("dZ2", 1, 5), V("A1", 4, 5));
        var dA1 = Op.MatMul(Op.Transpose(w2), dz2);
        var dW2 = Op.MatMul(dz2, Op.Transpose(a1));
        var plan = new EvaluationPlan(dA1, dW2);
        AssertNoTransposeFeedsAProduct(plan);
        Assert.Equal(2, plan.Compilation!.Report.Count(step => step.Rule.Name == "TransposeIntoProduct"));
        var written = new EvaluationPlan([dA1, dW2], compile: null).Run();
        var run = plan.Run();
        Assert.Equal(written.Tensor(dA1).ToMatrixCopy(), run.Tensor(dA1).ToMatrixCopy());
        Assert.Equal(written.Tensor(dW2).ToMatrixCopy(), run.Tensor(dW2).ToMatrixCopy());
    }

    private static void AssertNoTransposeFeedsAProduct(EvaluationPlan plan)
    {
        var feeding = plan.Steps.Where(n => n.Operation is MatMulOperation).SelectMany(n => n.Inputs).Where(i => i.Operation is TransposeOperation).ToArray();
        Assert.True(feeding.Length == 0, $"transposes feeding a product in the compiled plan: {string.Join(", ", feeding.Select(f => f.ToString()))}\n{plan.Schedule}");
    }
}
