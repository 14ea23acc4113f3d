using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests.Reliability;

/// <summary>A network serves many threads at once (a web service); a single plan refuses to be shared.</summary>
public class ConcurrencyTests
{
    [Fact]
    public void PredictionFromManyThreadsEqualsSequentialResults()
    {
        var random = new Random(4);
        var net = Network.Create([6, 16, 8, 1], new NetworkOptions { Seed = 3 });
        // Inputs of different widths, so concurrent calls also disagree on m.
        var inputs = Enumerable.Range(0, 24).Select(k => TestData.Matrix(random, new Shape(6, 1 + k * 7), TestData.Any)).ToArray();
        var labels = inputs.Select(x => Matrix<double>.Build.Dense(1, x.ColumnCount, (_, j) => j % 2)).ToArray();
        var expected = inputs.Select(net.PredictProbabilities).ToArray();
        var expectedCost = inputs.Select((x, k) => net.ComputeCost(x, labels[k])).ToArray();

        int wrong = 0;
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int call = 0; call < 30; call++)
            {
                int k = (t * 31 + call) % inputs.Length;
                var p = net.PredictProbabilities(inputs[k]);
                if (!p.Equals(expected[k])) Interlocked.Increment(ref wrong);
                if (net.Predict(inputs[k]).Length != inputs[k].ColumnCount) Interlocked.Increment(ref wrong);
                if (net.ComputeCost(inputs[k], labels[k]) != expectedCost[k]) Interlocked.Increment(ref wrong);
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        Assert.Equal(0, wrong);
    }

    /// <summary>An operation that holds its forward pass until released, so that two runs surely overlap.</summary>
    private sealed class Gate : Operation
    {
        public readonly ManualResetEventSlim Entered = new(), Release = new();
        public override string Name => "Gate";
        public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;
        public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
        {
            Entered.Set();
            Release.Wait(TimeSpan.FromSeconds(10));
            inputs[0].CopyTo(result);
        }
        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream];
    }

    [Fact]
    public void APlanRunFromTwoThreadsAtOnceIsRefused()
    {
        var gate = new Gate();
        var x = Graph.Variable("x", 2.0);
        var plan = new EvaluationPlan(Node.Apply(gate, [x]));
        Exception? firstFailure = null;
        // A thread of its own: a pool task could wait behind other tests' work for longer than the gate allows.
        var first = new Thread(() => { try { plan.Run(); } catch (Exception e) { firstFailure = e; } });
        first.Start();
        Assert.True(gate.Entered.Wait(TimeSpan.FromSeconds(10)));
        var error = Assert.Throws<InvalidOperationException>(() => plan.Run());
        Assert.Contains("single-threaded", error.Message);
        gate.Release.Set();
        first.Join();
        Assert.Null(firstFailure);
        // Once the first run is over the plan works again.
        gate.Release.Set();
        Assert.Equal(2.0, plan.Run()[plan.Outputs[0]][0, 0]);
    }
}
