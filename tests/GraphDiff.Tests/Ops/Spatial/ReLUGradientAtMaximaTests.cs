using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// conv → ReLU → max pool: the backward applies ReLU's mask to the pooled gradient (rule ReLUGradientAtMaxima) and sums
/// the bias gradient there (BiasGradientThroughScatter), and gives the numbers the mask on the scattered image gives
/// (the bias sums to rounding), over windows that tile, skip, overlap and pad, with ties
/// and most pre-activations at or below 0, in double and float; the pooled values are the forward's, not recomputed.
/// </summary>
public class ReLUGradientAtMaximaTests
{
    [Theory]
    [InlineData(6, 6, 2, 2, 0)]   // windows tile the image
    [InlineData(7, 5, 2, 2, 0)]   // a ragged edge no window reaches
    [InlineData(6, 6, 2, 3, 0)]   // stride past the window
    [InlineData(6, 6, 3, 1, 1)]   // overlapping, padded windows: a pixel gathers several windows' gradients
    [InlineData(5, 6, 3, 2, 1)]
    public void MaskedBeforeTheScatterGivesTheSameGradients(int h, int w, int size, int stride, int padding)
    {
        foreach (var precision in new[] { Precision.Double, Precision.Single })
            foreach (int seed in new[] { 1, 2, 3 })
            {
                var random = new Random(seed);
                var (cost, parameters, feed) = ConvReLUPool(h, w, size, stride, padding, random);
                var fused = Gradients.Of(cost, parameters);
                var masked = Gradients.Of(cost, parameters, new CompileOptions { Disabled = new HashSet<string> { "ReLUGradientAtMaxima" } });
                var run = new EvaluationPlan([cost, .. fused], precision).Run(feed);
                var reference = new EvaluationPlan([cost, .. masked], new CompileOptions { Disabled = new HashSet<string> { "ReLUGradientAtMaxima" } }, precision).Run(feed);
                for (int k = 0; k < parameters.Length; k++)
                {
                    var expected = reference[masked[k]].ToColumnMajorArray();
                    var actual = run[fused[k]].ToColumnMajorArray();
                    Assert.True(expected.Any(v => v != 0), $"{parameters[k].Name}: a gradient of zeros tests nothing");
                    // The bias gradient sums the pooled gradient (BiasGradientThroughScatter), in another order than the image's.
                    double tolerance = parameters[k].Name!.StartsWith('b') ? (precision == Precision.Single ? 1e-5 : 1e-13) : 0;
                    for (int i = 0; i < expected.Length; i++)
                        Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                            $"{precision} seed {seed} {parameters[k].Name}[{i}]: {actual[i]:R} instead of {expected[i]:R}");
                }
            }
    }

    [Fact]
    public void TheRuleFiresAndTheMaskReadsTheForwardsPooledValues()
    {
        var (cost, parameters, feed) = ConvReLUPool(8, 8, 2, 2, 0, new Random(4));
        var compiled = Compiler.Compile(Gradients.AsWritten(cost, parameters));
        Assert.Equal(2, compiled.Report.Count(step => step.Rule.Name == "ReLUGradientAtMaxima"));
        Assert.Equal(1, compiled.Report.Count(step => step.Rule.Name == "BiasGradientThroughScatter"));   // the first convolution has a bias
        var lines = new EvaluationPlan([cost, .. Gradients.Of(cost, parameters)]).Schedule.ToString().Split('\n').Select(l => l.Trim()).ToArray();
        // The forward's two pools and no other: the masks read them.
        Assert.Equal(2, lines.Count(line => line.Contains("= MaxPool2D(")));
        var steps = lines.Where(line => line.Contains("= Step(") && line.Contains("×m")).ToArray();
        Assert.Equal(2, steps.Length);
        foreach (var step in steps)
        {
            string operand = step[(step.IndexOf("Step(", StringComparison.Ordinal) + 5)..step.IndexOf(')', StringComparison.Ordinal)];
            Assert.Contains(lines, line => line.StartsWith(operand + " = MaxPool2D(", StringComparison.Ordinal));
        }
        // The bias gradient reads the masked pooled gradient (4×4 pixels), not the scattered image (8×8).
        var bias = lines.Single(line => line.Contains("= Conv2DBiasGradient("));
        string summed = bias[(bias.IndexOf("Gradient(", StringComparison.Ordinal) + 9)..bias.IndexOf(')', StringComparison.Ordinal)];
        Assert.Contains(lines, line => line.StartsWith(summed + " = Multiply(", StringComparison.Ordinal) && line.Contains("4×4×4×m"));
    }

    [Fact]
    public void LearnersReadTheCoursesFormAndThePlanRunsTheMaskedOne()
    {
        var x = Graph.Input("X", Shape.Of(8, 8, 1, Shape.Batch));
        var w1 = Graph.Variable("W1", Shape.Of(3, 3, 1, 4), DenseMatrix.Create(9, 4, (i, j) => (i - j) * 0.1));
        var b1 = Graph.Variable("b1", DenseMatrix.Create(4, 1, 0.0));
        var z1 = Op.Conv2D(x, w1, b1, padding: 1).Named("Z1");
        var p1 = Op.MaxPool2D(Op.ReLU(z1).Named("A1"), 2).Named("P1");
        var cost = Op.Sum(Op.Square(p1));
        var gradients = Gradients.Of(cost, w1, b1);
        Assert.Equal(
            """
            dZ1 = MaxPool2DScatter(A1, P1, 2×2, stride 2) * Step(Z1)
            dW1 = 2 * Conv2DKernelGradient(X, dZ1, pad 1)
            db1 = 2 * Conv2DBiasGradient(dZ1, pad 1)

            """.ReplaceLineEndings(), gradients.ToString());
        // What runs: dZ1 is the scatter of the masked pooled gradient, computed once, and db1 sums that pooled gradient.
        var running = new EvaluationPlan([cost, .. gradients]);
        var lines = running.Schedule.ToString().Split('\n');
        // The report says the mask reads the learner's P1 (not a copy that reads like it).
        Assert.Contains("CommonSubexpression at", running.Compilation!.ToString());
        Assert.Contains("MaxPool2D(A1, 2×2, stride 2) → P1 — the same value, computed once", running.Compilation!.ToString());
        Assert.Single(lines, line => line.Contains("= MaxPool2DScatter(") && line.Contains("[dZ1]"));
        Assert.DoesNotContain(lines, line => line.Contains("= Multiply(") && line.Contains("8×8×4×m"));
        // Asking for dZ1 as well still scatters once: dW1 reads the dZ1 asked for.
        var withZ = Gradients.Of(cost, z1, w1, b1);
        var plan = new EvaluationPlan([.. withZ]);
        Assert.Single(plan.Schedule.ToString().Split('\n'), line => line.Contains("= MaxPool2DScatter("));
        Assert.Single(withZ.ToString().Split('\n'), line => line.StartsWith("dZ1 = ", StringComparison.Ordinal));
    }

    [Fact]
    public void OtherActivationsAreLeftAloneAndGradientsForReadingKeepTheScatter()
    {
        var x = Graph.Input("X", Shape.Of(6, 6, 2, Shape.Batch));
        var kernel = Graph.Variable("K", Shape.Of(3, 3, 2, 4), DenseMatrix.Create(3 * 3 * 2, 4, (i, j) => (i - j) * 0.1));
        var z = Op.Conv2D(x, kernel, padding: 1);
        // A leaky ReLU's derivative is not a step: its gradient flows where the pooled value is negative too.
        var leaky = Op.Sum(Op.MaxPool2D(Op.LeakyReLU(z, 0.1), 2));
        var gradients = Gradients.Of(leaky, kernel);
        var schedule = new EvaluationPlan([.. gradients]).Schedule.ToString();
        Assert.Contains(schedule.Split('\n'), line => line.Contains("MaxPool2DScatter(") && line.Contains("6×6×4"));
        Assert.DoesNotContain(Compiler.Compile(Gradients.AsWritten(leaky, kernel)).Report, step => step.Rule.Name == "ReLUGradientAtMaxima");
        var relu = Op.ReLU(z);
        var pooled = Op.MaxPool2D(relu, 2);
        var upstream = Graph.Input("dP", pooled.Shape);
        var geometry = ((PoolOperation)pooled.Operation).Geometry;
        var named = Node.Apply(new MaxPoolScatterOperation(geometry), [relu, upstream], "dA");
        Assert.Contains(Compiler.Compile(named * Op.Step(z)).Report, step => step.Rule.Name == "ReLUGradientAtMaxima");
        // Gradients built for reading keep the written form, named or not: the rule is for plans.
        Assert.DoesNotContain(Compiler.Compile([named * Op.Step(z)], new CompileOptions { Reading = true }).Report, step => step.Rule.Name == "ReLUGradientAtMaxima");
        Assert.DoesNotContain(Compiler.Compile([Node.Apply(new MaxPoolScatterOperation(geometry), [relu, upstream]) * Op.Step(z)], new CompileOptions { Reading = true }).Report,
            step => step.Rule.Name == "ReLUGradientAtMaxima");
        // A step of something else than the ReLU's operand is another mask.
        Assert.DoesNotContain(Compiler.Compile(Node.Apply(new MaxPoolScatterOperation(geometry), [relu, upstream]) * Op.Step(z - 1.0)).Report, step => step.Rule.Name == "ReLUGradientAtMaxima");
    }

    /// <summary>x → conv 3×3 (2 → 4 channels) → ReLU → max pool → conv 3×3 (4 → 4) → ReLU → max pool → Σ·weights: integer-valued images (ties), pre-activations mostly ≤ 0.</summary>
    private static (Node Cost, Variable[] Parameters, Feed Feed) ConvReLUPool(int h, int w, int size, int stride, int padding, Random random)
    {
        const int m = 3;
        var x = Graph.Input("X", Shape.Of(h, w, 2, Shape.Batch));
        var k1 = Graph.Variable("K1", Shape.Of(3, 3, 2, 4), DenseMatrix.Create(3 * 3 * 2, 4, (_, _) => random.Next(-2, 2) * 0.5));
        var b1 = Graph.Variable("b1", DenseMatrix.Create(4, 1, (_, _) => random.Next(-3, 1)));
        var p1 = Op.MaxPool2D(Op.ReLU(Op.Conv2D(x, k1, b1, padding: 1)), size, stride, padding);
        var k2 = Graph.Variable("K2", Shape.Of(3, 3, 4, 4), DenseMatrix.Create(3 * 3 * 4, 4, (_, _) => random.Next(-2, 3) * 0.25));
        var p2 = Op.MaxPool2D(Op.ReLU(Op.Conv2D(p1, k2, padding: 1)), 2, 1, 0);
        var weights = Graph.Input("V", p2.Shape);
        var cost = Op.Sum(p2 * weights);
        var images = DenseMatrix.Create(h * w * 2, m, (_, _) => random.Next(-2, 3));
        return (cost, [k1, b1, k2], new Feed { { x, images }, { weights, DenseMatrix.Create(p2.Shape.Rows, m, (_, _) => random.NextDouble() * 2 - 1) } });
    }
}
