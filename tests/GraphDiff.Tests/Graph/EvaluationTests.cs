using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

public class EvaluationTests
{
    [Fact]
    public void AMissingInputIsNamed()
    {
        var X = Graph.Input("X", 2);
        var error = Assert.Throws<ArgumentException>(() => Op.Sum(X).Evaluate());
        Assert.Contains("Input 'X'", error.Message);
        Assert.Contains("not fed", error.Message);
    }

    [Fact]
    public void AnInputOfTheWrongShapeIsNamed()
    {
        var X = Graph.Input("X", 2);
        var error = Assert.Throws<ArgumentException>(() => Op.Sum(X).Evaluate(new Feed { { X, new DenseMatrix(3, 4) } }));
        Assert.Contains("'X' expects 2×m", error.Message);
        Assert.Contains("fed 3×4", error.Message);
    }

    [Fact]
    public void InputsMustAgreeOnTheNumberOfExamples()
    {
        var X = Graph.Input("X", 2);
        var Y = Graph.Input("Y", 1);
        var J = Op.Sum(X) + Op.Sum(Y);
        var error = Assert.Throws<ArgumentException>(() => J.Evaluate(new Feed { { X, new DenseMatrix(2, 5) }, { Y, new DenseMatrix(1, 4) } }));
        Assert.Contains("m = 4", error.Message);
        Assert.Contains("m = 5", error.Message);
    }

    [Fact]
    public void OneGraphServesAnyNumberOfExamples()
    {
        var X = Graph.Input("X", 2);
        var mean = Op.Mean(X, axis: 1);
        var plan = new EvaluationPlan(mean);
        Assert.Equal(2.0, plan.Run(new Feed { { X, DenseMatrix.Create(2, 3, 2.0) } })[mean][1, 0]);
        Assert.Equal(DenseMatrix.OfArray(new[,] { { 2.0 }, { 5.0 } }),
            plan.Run(new Feed { { "X", DenseMatrix.OfArray(new[,] { { 1.0, 3 }, { 4, 6 } }) } })[mean]);
    }

    [Fact]
    public void NaNIsAnErrorNamingTheNodeAndItsOperands()
    {
        var x = Graph.Variable("x", DenseMatrix.OfArray(new[,] { { 1.0, -1.0 } }));
        var error = Assert.Throws<NonFiniteValueException>(() => Op.Log(x).Evaluate());
        Assert.Contains("Log(x)", error.Message);
        Assert.Contains("NaN", error.Message);
        Assert.Contains("column 1", error.Message);
        Assert.Contains("x = -1", error.Message);
    }

    [Fact]
    public void ANonFiniteFedValueIsRefused()
    {
        var X = Graph.Input("X", 1);
        var error = Assert.Throws<ArgumentException>(() => Op.Sum(X).Evaluate(new Feed { { X, DenseMatrix.OfArray(new[,] { { 1, double.NaN } }) } }));
        Assert.Contains("'X'", error.Message);
        Assert.Contains("NaN", error.Message);
    }

    [Fact]
    public void SharedWorkIsDoneOnce()
    {
        var x = Graph.Variable("x", 2.0);
        var counter = new CountingOperation();
        var shared = Node.Apply(counter, [x], SourceLocation.Unknown);
        var J = shared * shared + shared;
        Assert.Equal(6, J.EvaluateScalar());
        Assert.Equal(1, counter.Calls);
    }

    [Fact]
    public void APlanReusesItsBuffersBetweenRuns()
    {
        var X = Graph.Input("X", 2);
        var y = Op.Tanh(X);
        var plan = new EvaluationPlan(y);
        var first = plan.Run(new Feed { { X, DenseMatrix.Create(2, 3, 0.5) } }).Tensor(y).Array;
        var second = plan.Run(new Feed { { X, DenseMatrix.Create(2, 3, 0.25) } }).Tensor(y).Array;
        Assert.Same(first, second);
        Assert.Equal(Math.Tanh(0.25), plan.Run(new Feed { { X, DenseMatrix.Create(2, 3, 0.25) } })[y][0, 0], 15);
    }

    private sealed class CountingOperation : ElementwiseUnary
    {
        public int Calls;
        public override string Name => "Counting";
        protected override void Forward(ReadOnlySpan<double> x, Span<double> y)
        {
            Calls++;
            x.CopyTo(y);
        }
        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream];
    }
}

public class PlanBufferTests
{
    [Fact]
    public void AlternatingBatchSizesReuseBothSetsOfBuffersAndStayCorrect()
    {
        var X = Graph.Input("X", 2);
        var y = Op.Tanh(X) * 2;
        var plan = new EvaluationPlan(y);
        var big = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(2, 4, 0.5);
        var small = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(2, 1, -0.5);
        var first = plan.Run(new Feed { { X, big } }).Tensor(y).Array;
        var second = plan.Run(new Feed { { X, small } }).Tensor(y).Array;
        var third = plan.Run(new Feed { { X, big } }).Tensor(y).Array;
        var fourth = plan.Run(new Feed { { X, small } }).Tensor(y).Array;
        Assert.Same(first, third);
        Assert.Same(second, fourth);
        Assert.Same(first, second);   // one arena serves both batch sizes
        Assert.Equal(2 * Math.Tanh(-0.5), plan.Run(new Feed { { X, small } }).Tensor(y)[1, 0], 15);
        Assert.Equal(2 * Math.Tanh(0.5), plan.Run(new Feed { { X, big } })[y][0, 3], 15);
    }
}

public class InputCheckTests
{
    [Fact]
    public void FedNaNIsRefusedUnlessTheCallerSaysTheFeedsWereChecked()
    {
        var x = Graph.Input("X", 1);
        var y = Op.Sum(x * 0.0 + 1.0);
        var nan = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(1, 3, double.NaN);
        Assert.Contains("'X'", Assert.Throws<ArgumentException>(() => new EvaluationPlan(y).Run(new Feed { { x, nan } })).Message);
        // Unchecked inputs: the computed values are still checked, and x·0 of NaN is NaN.
        Assert.Throws<NonFiniteValueException>(() => new EvaluationPlan(y) { CheckInputs = false }.Run(new Feed { { x, nan } }));
    }

    [Theory]
    [InlineData(3, 5)]        // one block
    [InlineData(4, 1000)]     // many blocks of 256 columns, the last one partial
    [InlineData(1, 2049)]     // one row: blocks of 1,024 columns
    [InlineData(2000, 3)]     // more rows than a block: one column at a time
    public void AFusedChainComputesWhatTheStepsComputeOneByOne(int rows, int columns)
    {
        var random = new Random(rows + columns);
        var x = Graph.Input("X", rows);
        var b = Graph.Variable("b", TestData.Matrix(random, new Shape(rows, 1), r => r.NextDouble() - 0.5));
        var s = Graph.Variable("s", 0.75);
        var z = x + b;
        var chain = Op.Tanh(Op.Sigmoid(z) * s - 0.25) * Op.Exp(Op.Negate(x));
        var feed = new Feed { { x, TestData.Matrix(random, new Shape(rows, columns), r => r.NextDouble() * 4 - 2) } };
        var fused = new EvaluationPlan(chain) { FuseAtElements = 0 };   // fused at any size
        var steps = new EvaluationPlan(chain) { Fuse = false };
        Assert.Equal(steps.Run(feed)[chain], fused.Run(feed)[chain]);
        Assert.True(fused.FusedSteps >= 5, $"only {fused.FusedSteps} steps fused");
        Assert.Contains("buffer was reused", Assert.Throws<ArgumentException>(() => fused.Run(feed).Tensor(z)).Message);
    }

    [Fact]
    public void ANonFiniteValueInsideAFusedChainNamesItsNodeAndItsColumnInTheWholeMatrix()
    {
        var x = Graph.Input("X", 2);
        var chain = Op.Tanh(Op.Log(x) * 2.0);
        var values = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(2, 600, (i, j) => j == 517 && i == 1 ? -1.0 : 1.0 + j);
        var error = Assert.Throws<NonFiniteValueException>(() => new EvaluationPlan(chain) { CheckInputs = false, FuseAtElements = 0 }.Run(new Feed { { x, values } }));
        Assert.Contains("Log(X)", error.Message);
        Assert.Contains("row 1, column 517", error.Message);
    }
}
