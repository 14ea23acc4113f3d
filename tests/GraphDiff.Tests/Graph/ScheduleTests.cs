using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>The schedule a plan runs, as a learner reads it, and the arena its values live in.</summary>
public class ScheduleTests
{
    [Fact]
    public void TheSchedulePrintsOneLinePerStepWithSlotsShapesAndSourceLines()
    {
        var w = Graph.Variable("W", DenseMatrix.Create(4, 3, 0.1));
        var x = Graph.Input("X", 3);
        var a = Op.Tanh(Op.MatMul(w, x)).Named("A");
        var schedule = new Schedule(a);
        var lines = schedule.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("%0 = variable W   4×3   ScheduleTests.cs:", lines[0]);
        Assert.StartsWith("%1 = input X   3×m", lines[1]);
        Assert.StartsWith("%2 = MatMul(%0, %1)   4×m   ScheduleTests.cs:", lines[2]);
        Assert.StartsWith("%3 = Tanh(%2)  [A]   4×m", lines[3]);
        Assert.EndsWith("   → output 0", lines[3]);
        Assert.DoesNotContain("output", lines[2]);
        Assert.Equal(2, schedule.Steps[0].LastUse);
        Assert.Equal(4, schedule.Steps[3].LastUse);   // an output outlives the run
    }

    [Fact]
    public void GradientsThatAreForwardStepsOrSharedSayWhichOutputsTheyAre()
    {
        // ∂J/∂a of J = 2a + b is the constant 2 of the forward pass, and ∂J/∂b = ∂J/∂c = 1 is one node for two outputs:
        // without the marks a learner finds no line for da, db or dc.
        var a = Graph.Variable("a", 2.0); var b = Graph.Variable("b", 3.0); var c = Graph.Variable("c", 4.0);
        var j = a * 2 + b + c;
        var g = Gradients.Of(j, a, b, c);
        var schedule = new Schedule(j, g[a], g[b], g[c]);
        var lines = schedule.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Single(lines, l => l.Contains("constant 2") && l.EndsWith("→ output 1"));
        Assert.Single(lines, l => l.Contains("constant 1") && l.EndsWith("→ outputs 2, 3"));
        Assert.Single(lines, l => l.EndsWith("→ output 0"));
    }

    [Fact]
    public void ATransposedOperandOfAProductIsMarked()
    {
        // dA = Wᵀ·dZ: without the mark the line read MatMul(%0, %k) of a 1×4 by a 1×3, a product whose shapes cannot fit.
        var w = Graph.Variable("W", DenseMatrix.Create(1, 4, 0.5));
        var a = Graph.Variable("A", DenseMatrix.Create(4, 3, 0.25));
        var j = Op.Sum(Op.Tanh(Op.MatMul(w, a)));
        var da = Gradients.Of(j, a)[a];
        var lines = new Schedule(da).ToString().Split('\n');
        var products = lines.Where(l => l.Contains("MatMul(")).ToArray();
        Assert.Equal(2, products.Length);
        Assert.Single(products, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"MatMul\(%\d+ᵀ, %\d+\).*   4×3"));
        Assert.Single(products, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"MatMul\(%\d+, %\d+\)   1×3"));   // the forward product, as written
    }

    [Fact]
    public void RaggedBatchesShareOneArenaAndAllocateNothingLarge()
    {
        var w = Graph.Variable("W", DenseMatrix.Create(64, 100, 0.01));
        var x = Graph.Input("X", 100);
        var cost = Op.Sum(Op.Tanh(Op.MatMul(w, x)));
        var grad = Gradients.Of(cost, w)[w];
        var plan = new EvaluationPlan(cost, grad);
        var full = new Feed { { x, DenseMatrix.Create(100, 32, 0.5) } };
        var ragged = new Feed { { x, DenseMatrix.Create(100, 17, 0.5) } };
        var arena = plan.Run(full).Tensor(grad).Array;
        plan.Run(ragged);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int epoch = 0; epoch < 20; epoch++)
        {
            sum += plan.Run(full).Scalar(cost);
            sum += plan.Run(ragged).Scalar(cost);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Same(arena, plan.Run(ragged).Tensor(grad).Array);
        // The 64×32 activations alone are 16 KB a run: 40 runs that reallocated would take well over 600 KB.
        Assert.True(allocated < 64 * 1024, $"40 runs allocated {allocated:N0} bytes");
        Assert.True(double.IsFinite(sum));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ANetworksWeightGradientsRunInBackpropOrderWhateverOrderTheyAreAskedIn(bool reversed)
    {
        // dW3, then dW2, then dW1, as L_model_backward computes them: each product runs while its dZ is fresh.
        var X = Graph.Input("X", 5);
        var Y = Graph.Input("Y", 1);
        Node A = X;
        var weights = new List<Variable>();
        foreach (var (rows, columns) in new[] { (4, 5), (3, 4), (1, 3) })
        {
            var W = Graph.Variable($"W{weights.Count + 1}", DenseMatrix.Create(rows, columns, 0.1));
            weights.Add(W);
            A = Op.ReLU(Op.MatMul(W, A));
        }
        var cost = Op.BinaryCrossEntropy(Op.Sigmoid(A), Y);
        var asked = reversed ? Enumerable.Reverse(weights).ToArray() : weights.ToArray();
        var gradients = Gradients.Of(cost, asked);
        var schedule = new Schedule([cost, .. gradients]);
        int Slot(Variable w) => schedule.SlotOf(gradients[w]);
        Assert.True(Slot(weights[2]) < Slot(weights[1]) && Slot(weights[1]) < Slot(weights[0]),
            $"dW3 at %{Slot(weights[2])}, dW2 at %{Slot(weights[1])}, dW1 at %{Slot(weights[0])}");
        Assert.Equal(asked, gradients.Wrt);   // still given back in the order asked
    }
}
