using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// Plans in float32 (issue #21): the same graph planned in <see cref="Precision.Single"/> computes what the double
/// plan computes within float rounding, at batch sizes around every place the plan or its kernels change strategy;
/// feeds and variables in double are rounded at the edges; an overflow that only float32 has is reported as such.
/// </summary>
public class FloatPlanTests
{
    /// <summary>
    /// Around the float GEMM's tiles (16 and 6 at 256 bits, 48×8 at 512), the fused chains' 32K elements of a 32-row
    /// value (m = 1,024), the elementwise split across cores (2¹⁶ elements, m = 2,048), and 1.
    /// </summary>
    private static readonly int[] Sizes = [1, 5, 6, 7, 15, 16, 17, 47, 48, 49, 1023, 1024, 1025, 2047, 2048, 2049];

    private sealed class Course
    {
        public readonly Input X = Graph.Input("X", 20), Y = Graph.Input("Y", 3);
        public readonly Variable W1, b1, W2, b2;
        public readonly Node Cost;
        public readonly Node[] Outputs;

        public Course(int seed)
        {
            var random = new Random(seed);
            W1 = Graph.Variable("W1", TestData.Matrix(random, new Shape(32, 20), TestData.Unit));
            b1 = Graph.Variable("b1", TestData.Matrix(random, new Shape(32, 1), TestData.Unit));
            W2 = Graph.Variable("W2", TestData.Matrix(random, new Shape(3, 32), TestData.Unit));
            b2 = Graph.Variable("b2", TestData.Matrix(random, new Shape(3, 1), TestData.Unit));
            var a1 = Op.Tanh(Op.MatMul(W1, X) + b1);
            var a2 = Op.ReLU(Op.MatMul(W2, a1) + b2);
            Cost = Op.BinaryCrossEntropy(Op.Sigmoid(a2 - 0.5), Y) + Op.SoftmaxCrossEntropy(Op.MatMul(W2, a1) + b2, Y);
            Outputs = [a1, Cost, .. Gradients.Of(Cost, W1, b1, W2, b2)];
        }

        public Feed Feed(int m, int seed)
        {
            var random = new Random(seed);
            var labels = new DenseMatrix(3, m);
            for (int j = 0; j < m; j++) labels[random.Next(3), j] = 1;
            return new Feed { { X, TestData.Matrix(random, new Shape(20, m), TestData.Unit) }, { Y, labels } };
        }
    }

    [Fact]
    public void AFloatPlanComputesWhatTheDoublePlanComputesWithinFloatRounding()
    {
        var course = new Course(1);
        var single = new EvaluationPlan(course.Outputs, Precision.Single);
        var wide = new EvaluationPlan(course.Outputs);
        Assert.Equal(Precision.Single, single.Precision);
        Assert.Equal(Precision.Double, wide.Precision);
        foreach (int m in Sizes)
        {
            var feed = course.Feed(m, m);
            var (got, want) = (single.Run(feed), wide.Run(feed));
            foreach (var output in course.Outputs)
                AssertClose(want[output], got[output], $"m = {m}, {output.Label}");
        }
        // No examples: the same refusal in both.
        var empty = course.Feed(0, 0);
        Assert.Equal(Assert.Throws<NonFiniteValueException>(() => wide.Run(empty)).Node, Assert.Throws<NonFiniteValueException>(() => single.Run(empty)).Node);
    }

    [Fact]
    public void TheValuesAreFloatsOfTheirOwnReadAsFloatOrWidened()
    {
        var course = new Course(2);
        var plan = new EvaluationPlan(course.Outputs, Precision.Single);
        var run = plan.Run(course.Feed(9, 3));
        var cost = run.TensorOf<float>(course.Cost);
        Assert.Equal((double)cost[0, 0], run.Scalar(course.Cost));
        Assert.Equal((double)cost[0, 0], run[course.Cost][0, 0]);
        var error = Assert.Throws<InvalidOperationException>(() => run.Tensor(course.Cost));
        Assert.Contains("float32", error.Message);
        Assert.Contains("TensorOf<float>", error.Message);
        Assert.Throws<InvalidOperationException>(() => run.TensorOf<double>(course.Cost));
        Assert.Throws<InvalidOperationException>(() => new EvaluationPlan(course.Outputs).Run(course.Feed(9, 3)).TensorOf<float>(course.Cost));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvaluationPlan(course.Outputs, (Precision)7));
    }

    [Fact]
    public void AFloatFeedIsReadAsItIsAndADoubleFeedIsRoundedToTheSameBits()
    {
        var course = new Course(3);
        var doubleFeed = course.Feed(37, 5);
        Assert.True(doubleFeed.TryGet(course.X, out var x));
        Assert.True(doubleFeed.TryGet(course.Y, out var y));
        var floatFeed = new Feed { { course.X, Narrow(x) }, { course.Y, Narrow(y) } };
        var plan = new EvaluationPlan(course.Outputs, Precision.Single);
        var fromDouble = course.Outputs.Select(o => plan.Run(doubleFeed)[o]).ToArray();
        var fromFloat = course.Outputs.Select(o => plan.Run(floatFeed)[o]).ToArray();
        for (int k = 0; k < fromDouble.Length; k++)
            Assert.True(fromDouble[k].Equals(fromFloat[k]), $"{course.Outputs[k].Label}: a double feed and its float rounding give different results");

        // The float feed is the plan's input value itself, not a copy.
        var fed = Narrow(x);
        var run = plan.Run(new Feed { { course.X, fed }, { course.Y, Narrow(y) } });
        var inputPlan = new EvaluationPlan([course.X], Precision.Single);
        Assert.Same(fed.Array, inputPlan.Run(new Feed { { course.X, fed } }).TensorOf<float>(course.X).Array);
        GC.KeepAlive(run);

        // A double plan fed floats widens them: the same as feeding their double values.
        var widened = new EvaluationPlan(course.Outputs);
        var fromWidened = course.Outputs.Select(o => widened.Run(new Feed { { course.X, Widen(fed) }, { course.Y, Widen(Narrow(y)) } })[o]).ToArray();
        var fromFloatInDouble = course.Outputs.Select(o => widened.Run(new Feed { { course.X, fed }, { course.Y, Narrow(y) } })[o]).ToArray();
        for (int k = 0; k < fromWidened.Length; k++) Assert.True(fromWidened[k].Equals(fromFloatInDouble[k]), course.Outputs[k].Label);
    }

    [Fact]
    public void FeedingAnInputAgainReplacesItWhateverItsPrecision()
    {
        var x = Graph.Input("x", 2);
        var plan = new EvaluationPlan([x * 2.0], Precision.Single);
        var feed = new Feed { { x, new Tensor<float>([1f, 2f], 2, 1) } };
        feed.Add(x, DenseMatrix.OfArray(new double[,] { { 5 }, { 6 } }));
        Assert.Equal(10.0, plan.Run(feed)[plan.Outputs[0]][0, 0]);
        feed.Add(x, new Tensor<float>([7f, 8f], 2, 1));
        Assert.Equal(14.0, plan.Run(feed)[plan.Outputs[0]][0, 0]);
        Assert.Throws<ArgumentException>(() => feed.Add(x, default(Tensor<float>)));
    }

    [Fact]
    public void AVariableChangedBetweenRunsIsSeenByAFloatPlan()
    {
        var course = new Course(4);
        var plan = new EvaluationPlan(course.Outputs, Precision.Single);
        var feed = course.Feed(12, 1);
        plan.Run(feed);
        course.W1.Value.MapInplace(w => w * 0.5 + 0.01);
        course.b2.Value = TestData.Matrix(new Random(6), course.b2.Shape, TestData.Unit);
        var reused = plan.Run(feed);
        var fresh = new EvaluationPlan(course.Outputs, Precision.Single).Run(feed);
        foreach (var output in course.Outputs) Assert.True(reused[output].Equals(fresh[output]), output.Label);
    }

    [Fact]
    public void ConstantsAndAUsersDoubleOnlyOperationRunInAFloatPlan()
    {
        var a = Graph.Variable("a", DenseMatrix.OfArray(new double[,] { { 0.5, -1.25 }, { 2, 3 } }));
        var k = Graph.Constant(DenseMatrix.OfArray(new double[,] { { 1, 2 }, { 3, 4 } }));
        var x = Graph.Input("x", 2);
        var cube = Node.Apply(new FloatForwardTests.Cubic(), [a]);
        var node = Op.Sum(Op.MatMul(cube * k, x) + 3.0 * Op.MatMul(a, x) + Graph.Filled(Shape.Of(2, Shape.Batch), 1.5));
        var feed = new Feed { { x, DenseMatrix.OfArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }) } };
        var gradient = Gradients.Of(node, a)[0];
        var want = new EvaluationPlan([node, gradient]).Run(feed);
        var got = new EvaluationPlan([node, gradient], Precision.Single).Run(feed);
        AssertClose(want[node], got[node], "the sum");
        AssertClose(want[gradient], got[gradient], "its gradient");
    }

    [Fact]
    public void AnOverflowOnlyFloat32HasNamesFloat32AndTheValueInDouble()
    {
        var x = Graph.Input("x", 1);
        var y = Op.Exp(x).Named("y");
        var feed = new Feed { { x, DenseMatrix.OfArray(new double[,] { { 1, 89.5, 2 } }) } };
        Assert.Equal(Math.Exp(89.5), new EvaluationPlan([y]).Run(feed)[y][0, 1], 1e-9 * Math.Exp(89.5));
        var error = Assert.Throws<NonFiniteValueException>(() => new EvaluationPlan([y], Precision.Single).Run(feed));
        Assert.Same(y, error.Node);
        Assert.Contains("float32", error.Message);
        Assert.True(error.Message.Contains("in float64 this element is 7.40212E+38"), error.Message);
        Assert.Contains("Precision.Double", error.Message);

        // Inside a fused chain (big enough to fuse): the same message, the element named in the whole value.
        var big = new DenseMatrix(1, 40_000);
        big[0, 33_000] = 89.5;
        var chain = Op.Tanh(Op.Exp(x * 1.0) * 2.0).Named("chain");
        var plan = new EvaluationPlan([chain], Precision.Single);
        var fused = Assert.Throws<NonFiniteValueException>(() => plan.Run(new Feed { { x, big } }));
        Assert.True(plan.FusedSteps > 0, "the chain did not fuse");
        Assert.Contains("float32", fused.Message);
        Assert.Contains("column 33000", fused.Message);

        // A NaN that double has too is not blamed on the precision.
        var log = Op.Log(x - 5.0).Named("log");
        var both = Assert.Throws<NonFiniteValueException>(() => new EvaluationPlan([log], Precision.Single).Run(feed));
        Assert.Contains("the cause is in the operands", both.Message);
        Assert.False(both.BeyondSinglePrecision);
    }

    [Fact]
    public void ValuesBeyondFloat32FedOrHeldAreRefusedNamingFloat32()
    {
        var x = Graph.Input("x", 1);
        var w = Graph.Variable("w", DenseMatrix.OfArray(new double[,] { { 1 } }));
        var y = w * x;
        var plan = new EvaluationPlan([y], Precision.Single);
        var fed = Assert.Throws<ArgumentException>(() => plan.Run(new Feed { { x, DenseMatrix.OfArray(new double[,] { { 1, 1e39 } }) } }));
        Assert.Contains("'x'", fed.Message);
        Assert.Contains("float32", fed.Message);
        w.Value[0, 0] = 1e40;
        var held = Assert.Throws<NonFiniteValueException>(() => plan.Run(new Feed { { x, DenseMatrix.OfArray(new double[,] { { 1 } }) } }));
        Assert.Contains("'w'", held.Message);
        Assert.Contains("float32", held.Message);
        Assert.True(held.BeyondSinglePrecision);
        // A NaN held after a value beyond float32: the NaN is the variable's own fault, said as a double plan says it.
        w.Value[0, 0] = double.NaN;
        var nan = Assert.Throws<NonFiniteValueException>(() => plan.Run(new Feed { { x, DenseMatrix.OfArray(new double[,] { { 1 } }) } }));
        Assert.Contains("'w'", nan.Message);
        Assert.Contains("holds NaN", nan.Message);
        Assert.False(nan.BeyondSinglePrecision);
        var v = Graph.Variable("v", DenseMatrix.OfArray(new double[,] { { 1e40, double.PositiveInfinity } }));
        var both = Assert.Throws<NonFiniteValueException>(() => new EvaluationPlan([Op.Sum(v)], Precision.Single).Run());
        Assert.Contains("before anything was computed from it", both.Message);
        Assert.False(both.BeyondSinglePrecision);
        w.Value[0, 0] = 1;

        // Constants too, a number or a matrix: refused, never rounded to ∞ (x / 1e39 would silently be 0).
        var one = new Feed { { x, DenseMatrix.OfArray(new double[,] { { 1e30 } }) } };
        foreach (var constant in new[] { Graph.Constant(1e39), Graph.Constant(DenseMatrix.OfArray(new double[,] { { 1e39 } }), "big") })
        {
            var quotient = x / constant;
            Assert.Equal(1e-9, new EvaluationPlan([quotient]).Run(one)[quotient][0, 0], 1e-20);
            var refused = Assert.Throws<NonFiniteValueException>(() => new EvaluationPlan([quotient], Precision.Single).Run(one));
            Assert.Same(constant, refused.Node);
            Assert.Contains("beyond float32's range", refused.Message);
        }
    }

    [Fact]
    public void AValueThatFloat32RoundsToZeroIsNotDeclaredInnocent()
    {
        var x = Graph.Input("x", 1);
        var log = Op.Log(x).Named("l");
        var error = Assert.Throws<NonFiniteValueException>(() => new EvaluationPlan([log], Precision.Single).Run(new Feed { { x, DenseMatrix.OfArray(new double[,] { { 1e-46 } }) } }));
        Assert.DoesNotContain("not the cause", error.Message);
        Assert.Contains("the cause is in the operands", error.Message);
        Assert.Contains("below 1.4·10⁻⁴⁵ it becomes 0", error.Message);
        Assert.False(error.BeyondSinglePrecision);
    }

    [Fact]
    public void FloatsFedByNameAndAClonedFeedAreBound()
    {
        var x = Graph.Input("x", 2);
        var y = Op.Sum(x * 3.0);
        var feed = new Feed();
        feed.Add("x", new Tensor<float>([1f, 2f], 2, 1));
        Assert.Equal(9.0, new EvaluationPlan([y], Precision.Single).Run(feed).Scalar(y));
        Assert.Equal(9.0, new EvaluationPlan([y]).Run(feed.Clone()).Scalar(y));
        feed.Add("x", DenseMatrix.OfArray(new double[,] { { 2 }, { 2 } }));   // replaces the float by the same name
        Assert.Equal(12.0, new EvaluationPlan([y], Precision.Single).Run(feed).Scalar(y));
        feed.Add(x, new Tensor<float>([0f, 1f], 2, 1));                      // by node wins over by name
        Assert.Equal(3.0, new EvaluationPlan([y]).Run(feed).Scalar(y));
        Assert.False(feed.TryGet(x, out _));

        // A double plan's widened copy of a float feed is its own buffer: reading the input gives a copy of it.
        var plan = new EvaluationPlan([x]);
        var first = plan.Run(new Feed { { x, new Tensor<float>([4f, 5f], 2, 1) } })[x];
        plan.Run(new Feed { { x, new Tensor<float>([6f, 7f], 2, 1) } });
        Assert.Equal([4.0, 5.0], first.ToColumnMajorArray());
    }

    [Fact]
    public void AFloatPlanRunsWithoutAllocatingOnceWarm()
    {
        var course = new Course(5);
        var plan = new EvaluationPlan(course.Outputs, Precision.Single);
        var (small, large) = (course.Feed(64, 1), course.Feed(33, 2));
        var run = default(Evaluation);
        for (int k = 0; k < 3; k++) { _ = plan.Run(small).TensorOf<float>(course.Cost); plan.Run(large); }
        // The quietest of a few windows: a scratch pool shared with tests running beside this one can grow once in any.
        var (allocated, _, _) = Allocations.Quietest(() =>
        {
            for (int k = 0; k < 20; k++) { run = plan.Run(small); _ = run.TensorOf<float>(course.Cost); run = plan.Run(large); }
        }, countWorkers: false);
        Assert.True(allocated == 0, $"40 warm runs of a float plan allocated {allocated} bytes");
    }

    [Fact]
    public void AFloatPlanTakesHalfTheBytesOfADoublePlan()
    {
        var course = new Course(6);
        var feed = course.Feed(4096, 1);
        var single = new EvaluationPlan(course.Outputs, Precision.Single);
        var wide = new EvaluationPlan(course.Outputs);
        single.Run(feed);
        wide.Run(feed);
        Assert.InRange(single.ArenaBytes, wide.ArenaBytes * 0.45, wide.ArenaBytes * 0.55);
    }

    /// <summary>Each element within a float bound: 1e-4 relative to the element or, for a sum of products, to the value's scale.</summary>
    internal static void AssertClose(Matrix<double> want, Matrix<double> got, string what)
    {
        Assert.Equal((want.RowCount, want.ColumnCount), (got.RowCount, got.ColumnCount));
        double scale = want.RowCount * want.ColumnCount == 0 ? 0 : want.Enumerate().Max(Math.Abs);
        for (int j = 0; j < want.ColumnCount; j++)
            for (int i = 0; i < want.RowCount; i++)
                Assert.True(Math.Abs(got[i, j] - want[i, j]) <= 1e-4 * (Math.Abs(want[i, j]) + scale) + 1e-6,
                    $"{what} ({i}, {j}): float {got[i, j]:G9}, double {want[i, j]:G9}");
    }

    private static Tensor<float> Narrow(Matrix<double> m) =>
        new(m.ToColumnMajorArray().Select(v => (float)v).ToArray(), m.RowCount, m.ColumnCount);

    private static Matrix<double> Widen(Tensor<float> t) => DenseMatrix.Create(t.Rows, t.Columns, (i, j) => t[i, j]);
}
