using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using Microsoft.Extensions.Logging;

namespace GraphDiff.Tests.Nn;

public class TrainingTests
{
    /// <summary>Two well-separated clusters.</summary>
    private static Dataset Separable(int m, int seed)
    {
        var random = new Random(seed);
        var x = new DenseMatrix(2, m);
        var y = new DenseMatrix(1, m);
        for (int j = 0; j < m; j++)
        {
            int label = j % 2;
            x[0, j] = (label == 1 ? 2 : -2) + random.NextDouble() - 0.5;
            x[1, j] = (label == 1 ? 1 : -1) + random.NextDouble() - 0.5;
            y[0, j] = label;
        }
        return new Dataset(x, y);
    }

    [Theory]
    [InlineData("gradient descent", null)]
    [InlineData("momentum", 16)]
    [InlineData("adam", 16)]
    public void TrainingOnASeparableProblemDrivesTheCostDownToFullAccuracy(string optimizer, int? batch)
    {
        var data = Separable(64, 1);
        var network = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Initialization = Initialization.Xavier, Seed = 5 });
        IOptimizer chosen = optimizer switch
        {
            "momentum" => new Momentum(0.1),
            "adam" => new Adam(0.01),
            _ => new GradientDescent(0.5),
        };
        var history = Trainer.Train(network, data.X, data.Y, new TrainingOptions { Epochs = 200, BatchSize = batch, Optimizer = chosen, RecordEvery = 10 });
        Assert.True(history.FinalCost < history.Costs[0].Cost / 5, $"cost went from {history.Costs[0].Cost} to {history.FinalCost}");
        Assert.Equal(1.0, Metrics.Accuracy(network.Predict(data.X), data.Classes));
        Assert.Equal(batch is null ? 200 : 200 * 4, history.Costs[^1].Iteration);
    }

    [Fact]
    public void TheSameSeedGivesTheSameParametersAfterTraining()
    {
        Matrix<double>[] Run()
        {
            var data = Separable(50, 2);
            var network = Network.Create([2, 5, 3, 1], new NetworkOptions { Seed = 11 });
            Trainer.Train(network, data.X, data.Y, new TrainingOptions { Epochs = 20, BatchSize = 8, ShuffleSeed = 4, Optimizer = new Adam(0.01) });
            return network.Parameters.Select(p => p.Value.Clone()).ToArray();
        }
        var first = Run();
        var second = Run();
        for (int k = 0; k < first.Length; k++) Assert.Equal(first[k], second[k]);

        var other = Network.Create([2, 5, 3, 1], new NetworkOptions { Seed = 12 });
        Assert.NotEqual(Network.Create([2, 5, 3, 1], new NetworkOptions { Seed = 11 }).Layers[0].W.Value, other.Layers[0].W.Value);
    }

    [Fact]
    public void ATooLargeLearningRateStopsWithAnErrorNamingTheIteration()
    {
        var data = Separable(20, 3);
        var network = Network.Create([2, 8, 1], new NetworkOptions { Output = Activation.Identity, Cost = CostFunction.L2, Seed = 1 });
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Train(network, data.X * 1000, data.Y, new TrainingOptions { Epochs = 500, Optimizer = new GradientDescent(10) }));
        Assert.Contains($"iteration {error.Iteration}", error.Message);
        Assert.Contains("smaller", error.Message);
        Assert.Contains("α = 1", error.Message);
        Assert.True(error.Iteration is > 0 and < 500);
    }

    [Fact]
    public void TrainingCanBeCancelled()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var data = Separable(10, 4);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Trainer.Train(Network.Create([2, 1]), data.X, data.Y, new TrainingOptions { CancellationToken = cancel.Token }));
    }

    [Fact]
    public void BadTrainingDataIsRefusedWithTheShapes()
    {
        var network = Network.Create([2, 3, 1]);
        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(network, new DenseMatrix(2, 10), new DenseMatrix(1, 9)));
        Assert.Contains("2×10", error.Message);
        Assert.Contains("1×9", error.Message);
        error = Assert.Throws<ArgumentException>(() => Trainer.Train(network, new DenseMatrix(3, 10), new DenseMatrix(1, 10)));
        Assert.Contains("'X' expects 2×m", error.Message);
        var softmax = Network.Create([2, 3], new NetworkOptions { Output = Activation.Softmax });
        error = Assert.Throws<ArgumentException>(() => Trainer.Train(softmax, new DenseMatrix(2, 10), new DenseMatrix(1, 10)));
        Assert.Contains("one-hot", error.Message);
    }

    [Fact]
    public void ProgressIsLoggedOnlyWhenALoggerIsGiven()
    {
        var data = Separable(10, 5);
        var logger = new ListLogger();
        Trainer.Train(Network.Create([2, 1]), data.X, data.Y, new TrainingOptions { Epochs = 30, RecordEvery = 10, Optimizer = new GradientDescent(0.1), Logger = logger });
        Assert.Contains(logger.Messages, m => m.Contains("Cost after epoch 10"));
        Assert.Contains(logger.Messages, m => m.Contains("Cost after epoch 30"));
        // At Debug level: the gradients' formulas and what the compiler rewrote, with the reason.
        Assert.Contains(logger.Messages, m => m.Contains("dZ1 = A1 - Y") && m.Contains("BinaryCrossEntropyOfSigmoid at TrainingTests.cs:") && m.Contains("exact cost and gradient"));
    }

    [Fact]
    public void OptimisersFollowTheCoursesFormulas()
    {
        var theta = Graph.Variable("θ", DenseMatrix.OfArray(new[,] { { 1.0, -2.0 } }));
        var g = Tensor.Of(DenseMatrix.OfArray(new[,] { { 0.5, 0.25 } }));

        new GradientDescent(0.1).Update([theta], [g]);
        Assert.Equal(1 - 0.05, theta.Value[0, 0], 15);

        theta.Value = DenseMatrix.OfArray(new[,] { { 1.0, -2.0 } });
        var momentum = new Momentum(0.1, beta: 0.9);
        momentum.Update([theta], [g]);                 // v = 0.1·g
        momentum.Update([theta], [g]);                 // v = 0.9·0.1g + 0.1g = 0.19g
        Assert.Equal(1 - 0.1 * (0.1 * 0.5) - 0.1 * (0.19 * 0.5), theta.Value[0, 0], 15);

        theta.Value = DenseMatrix.OfArray(new[,] { { 1.0, -2.0 } });
        new Adam(0.01).Update([theta], [g]);           // first step: v̂ = g, ŝ = g², step = α·g/(|g| + ε) ≈ α·sign(g)
        Assert.Equal(1 - 0.01 * 0.5 / (0.5 + 1e-8), theta.Value[0, 0], 15);
        Assert.Equal(-2 - 0.01 * 0.25 / (0.25 + 1e-8), theta.Value[0, 1], 15);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}

/// <summary>A hand-built graph is a <see cref="Model"/> and trains, checks and reports like a network.</summary>
public class ModelTrainingTests
{
    [Fact]
    public void AHandBuiltModelWithThreeInputsTrainsAndChecks()
    {
        // Weighted logistic regression: a third input holds each example's weight.
        var random = new Random(2);
        var w = Graph.Variable("w", new DenseMatrix(1, 2));
        var b = Graph.Variable("b", 0.0);
        var x = Graph.Input("X", 2);
        var y = Graph.Input("Y", 1);
        var weight = Graph.Input("weight", 1);
        var z = Op.MatMul(w, x) + b;
        // Each example's cross-entropy from its logit z: max(z, 0) − z·y + log(1 + e^−|z|), weighted and averaged.
        var cost = Op.Sum(weight * (Op.ReLU(z) - z * y + Op.Log(1.0 + Op.Exp(-Op.Abs(z))))) / Op.Count(x, axis: 1);
        var model = new Model(cost, [w, b], [Op.Sigmoid(z)]);
        Assert.Equal(["X", "Y", "weight"], model.Inputs.Select(i => i.Name).Order(StringComparer.Ordinal));

        var xs = DenseMatrix.Create(2, 200, (i, j) => (j % 2 == 0 ? 1 : -1) * (1 + random.NextDouble()) * (i == 0 ? 1 : 0.5));
        var ys = DenseMatrix.Create(1, 200, (_, j) => j % 2 == 0 ? 1 : 0);
        var weights = DenseMatrix.Create(1, 200, (_, j) => 1 + j % 3);
        var data = new TrainingData { { x, xs }, { y, ys }, { weight, weights } };
        var history = Trainer.Train(model, data, new TrainingOptions { Epochs = 200, Optimizer = new GradientDescent(0.5), BatchSize = 64 });
        Assert.True(history.Costs[^1].Cost < history.Costs[0].Cost / 2, $"cost {history.Costs[0].Cost} → {history.Costs[^1].Cost}");
        var check = GradientCheck.Run(model, new Feed { { x, xs }, { y, ys }, { weight, weights } });
        Assert.True(check.Passed, check.ToString());
    }

    [Fact]
    public void TrainingDataThatMissesAnInputOrDisagreesOnMIsRefused()
    {
        var net = Network.LogisticRegression(2);
        Assert.Contains("'Y'", Assert.Throws<ArgumentException>(() => Trainer.Train(net.Model, new TrainingData { { net.X, new DenseMatrix(2, 5) } })).Message);
        Assert.Contains("one column per example", Assert.Throws<ArgumentException>(() => new TrainingData { { net.X, new DenseMatrix(2, 5) }, { net.Y, new DenseMatrix(1, 4) } }).Message);
    }
}

public class AdamVectorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(13)]
    [InlineData(64)]
    public void EveryElementFollowsTheFormulaWhetherInTheVectorBodyOrTheTail(int n)
    {
        var random = new Random(n);
        var start = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var theta = Graph.Variable("θ", DenseMatrix.OfColumnMajor(1, n, (double[])start.Clone()));
        var adam = new Adam(0.01);
        double[] v = new double[n], s = new double[n], expected = (double[])start.Clone();
        for (int step = 1; step <= 3; step++)
        {
            var g = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
            adam.Update([theta], [new Tensor(g, 1, n)]);
            double c1 = 1 - Math.Pow(0.9, step), c2 = 1 - Math.Pow(0.999, step);
            for (int i = 0; i < n; i++)
            {
                v[i] = 0.9 * v[i] + (1 - 0.9) * g[i];
                s[i] = 0.999 * s[i] + (1 - 0.999) * g[i] * g[i];
                expected[i] -= 0.01 * (v[i] / c1) / (Math.Sqrt(s[i] / c2) + 1e-8);
            }
        }
        for (int i = 0; i < n; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(theta.Value[0, i]));
    }
}
