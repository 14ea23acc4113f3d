using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using Microsoft.Extensions.Logging;

namespace GraphDiff.Nn;

/// <summary>
/// Gradient-based training of any graph: each iteration evaluates the cost and its gradients (the graph's reverse
/// mode, one <see cref="EvaluationPlan"/> reused every iteration) and lets the optimiser update the parameters.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="network"/> on examples <paramref name="x"/> (n[0], m) with labels <paramref name="y"/> (n[L], m).</summary>
    public static TrainingHistory Train(Network network, Matrix<double> x, Matrix<double> y, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Train(network.Cost, network.Parameters, network.X, network.Y, x, y, options);
    }

    /// <summary>
    /// Trains any graph: <paramref name="cost"/> is minimised over <paramref name="parameters"/>, with the examples
    /// fed to <paramref name="inputX"/> and the labels to <paramref name="inputY"/>, column by column.
    /// </summary>
    public static TrainingHistory Train(Node cost, IReadOnlyList<Variable> parameters, Input inputX, Input inputY,
        Matrix<double> x, Matrix<double> y, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(inputX);
        ArgumentNullException.ThrowIfNull(inputY);
        options ??= new TrainingOptions();
        Validate(cost, parameters, inputX, inputY, x, y, options);
        var logger = options.Logger;
        var optimizer = options.Optimizer;
        var gradients = Gradients.Of(cost, parameters);
        // The predictions of every binary cross-entropy on the labels, to watch them for saturation.
        var predictions = Topology.Order([cost])
            .Where(n => n.Operation is BinaryCrossEntropyOperation && n.Inputs[1] == inputY)
            .Select(n => n.Inputs[0]).Distinct().ToArray();
        var plan = new EvaluationPlan([cost, .. gradients, .. predictions]);
        var guard = new DivergenceGuard();
        int m = x.ColumnCount, batch = Math.Min(options.BatchSize ?? m, m);
        var batches = new MiniBatches(x, y, batch, options.ShuffleSeed);
        var values = new Tensor[gradients.Count];
        var records = new List<CostRecord>();
        var clock = Stopwatch.StartNew();
        int iteration = 0;

        logger?.LogInformation("Training on {Examples} examples: {Optimizer}, {Epochs} epochs, batch {Batch}",
            m, optimizer, options.Epochs, batch == m ? "full" : batch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            double epochCost = 0;
            long saturated = 0;
            foreach (var (xb, yb) in batches.Epoch(shuffle: batch < m))
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                iteration++;
                Evaluation run;
                try { run = plan.Run(new Feed { { inputX, xb }, { inputY, yb } }); }
                catch (NonFiniteValueException e) { throw Diverged(iteration, epoch, optimizer, e.Message, e); }
                double j = run.Scalar(cost);
                if (!double.IsFinite(j)) throw Diverged(iteration, epoch, optimizer, $"the cost is {j}", null);
                epochCost += j * xb.ColumnCount;
                foreach (var p in predictions) saturated += SaturatedWrong(run.Tensor(p), Tensor.Of(yb));
                for (int k = 0; k < values.Length; k++) values[k] = run.Tensor(gradients[k]);
                optimizer.Update(parameters, values);
            }
            epochCost /= m;
            if (options.DetectDivergence && guard.AfterEpoch(epochCost, saturated, (long)m * Math.Max(1, predictions.Length)) is { } reason)
                throw Diverged(iteration, epoch, optimizer, reason, null);
            if (epoch % options.RecordEvery == 0 || epoch == options.Epochs || epoch == 1)
            {
                records.Add(new CostRecord(epoch, iteration, epochCost));
                logger?.LogInformation("Cost after epoch {Epoch} (iteration {Iteration}): {Cost:F6}", epoch, iteration, epochCost);
            }
        }
        logger?.LogInformation("Trained in {Seconds:F1} s, final cost {Cost:F6}", clock.Elapsed.TotalSeconds, records[^1].Cost);
        return new TrainingHistory(records, optimizer.ToString() ?? "", optimizer.LearningRate, clock.Elapsed);
    }

    /// <summary>Examples whose predicted probability is clipped at the wrong class: ŷ ≤ ε for y = 1, ŷ ≥ 1 − ε for y = 0.</summary>
    private static long SaturatedWrong(Tensor predicted, Tensor labels)
    {
        var a = predicted.Span;
        var y = labels.Span;
        if (a.Length != y.Length) return 0;
        const double epsilon = 1e-15;
        long count = 0;
        for (int i = 0; i < a.Length; i++)
            if (a[i] <= epsilon && y[i] >= 0.5 || a[i] >= 1 - epsilon && y[i] <= 0.5) count++;
        return count;
    }

    private static TrainingDivergedException Diverged(int iteration, int epoch, IOptimizer optimizer, string what, Exception? inner) =>
        new($"Training diverged at iteration {iteration} (epoch {epoch}): {what}. The learning rate α = {optimizer.LearningRate:G4} " +
            $"is probably too large for this problem; try a smaller one, e.g. α = {optimizer.LearningRate / 10:G4}, or standardise the inputs (Standardizer). " +
            "TrainingOptions.DetectDivergence = false turns these checks off.",
            iteration, inner);

    private static void Validate(Node cost, IReadOnlyList<Variable> parameters, Input inputX, Input inputY,
        Matrix<double> x, Matrix<double> y, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!cost.Shape.IsScalar) throw new ArgumentException($"The cost {cost.Label} must be 1×1, but is {cost.Shape}.", nameof(cost));
        if (parameters.Count == 0) throw new ArgumentException("There are no parameters to train.", nameof(parameters));
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(inputX);
        ArgumentNullException.ThrowIfNull(inputY);
        ArgumentNullException.ThrowIfNull(options);
        if (x.ColumnCount != y.ColumnCount)
            throw new ArgumentException($"X is {x.RowCount}×{x.ColumnCount} and Y is {y.RowCount}×{y.ColumnCount}: they must have one column per example, the same m.");
        if (inputX.Shape.Rows != Shape.Batch && x.RowCount != inputX.Shape.Rows)
            throw new ArgumentException($"The model's input '{inputX.Name}' expects {inputX.Shape}, but X is {x.RowCount}×{x.ColumnCount}: each column must hold {inputX.Shape.Rows} features.");
        if (inputY.Shape.Rows != Shape.Batch && y.RowCount != inputY.Shape.Rows)
            throw new ArgumentException($"The model's labels '{inputY.Name}' expect {inputY.Shape}, but Y is {y.RowCount}×{y.ColumnCount}" +
                (inputY.Shape.Rows > 1 && y.RowCount == 1 ? ": one-hot encode the labels (OneHot.Encode)." : "."));
        if (x.ColumnCount == 0)
            throw new ArgumentException($"There are no examples to train on: X is {x.RowCount}×0 (examples are columns).", nameof(x));
        CheckFinite("X", x);
        CheckFinite("Y", y);
        LabelCheck.Check(cost, inputY, y);
        foreach (var p in parameters)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(parameters));
            if (Dense.FirstNonFinite(p.Value) is { } bad)
                throw new ArgumentException($"Parameter '{p.Name}' already holds {bad.Value} at row {bad.Row}, column {bad.Column} before training; " +
                    "give it finite values (re-initialise the network) before training.", nameof(parameters));
        }
        if (options.Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"Epochs must be positive, got {options.Epochs}.");
        if (options.BatchSize is <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"The batch size must be positive, got {options.BatchSize}.");
        if (options.RecordEvery <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"RecordEvery must be positive, got {options.RecordEvery}.");
    }

    /// <summary>A NaN or ∞ in the data, named by its example (its column in the whole data set, not in a shuffled batch).</summary>
    private static void CheckFinite(string what, Matrix<double> data)
    {
        if (Dense.FirstNonFinite(data) is { } bad)
            throw new ArgumentException($"{what} holds {bad.Value} at example {bad.Column} (column {bad.Column}, row {bad.Row}); the data must be finite.", what == "X" ? "x" : "y");
    }

    /// <summary>Splits the examples into mini-batches, reshuffled every epoch; column-major storage makes each copy contiguous.</summary>
    private sealed class MiniBatches(Matrix<double> x, Matrix<double> y, int size, int seed)
    {
        private readonly Random random = new(seed);
        private readonly int[] order = Enumerable.Range(0, x.ColumnCount).ToArray();
        private readonly Dictionary<int, (Matrix<double> X, Matrix<double> Y)> buffers = new();

        public IEnumerable<(Matrix<double> X, Matrix<double> Y)> Epoch(bool shuffle)
        {
            if (!shuffle) { yield return (x, y); yield break; }
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += size)
            {
                int count = Math.Min(size, order.Length - start);
                if (!buffers.TryGetValue(count, out var buffer))
                    buffers[count] = buffer = (new DenseMatrix(x.RowCount, count), new DenseMatrix(y.RowCount, count));
                Gather(x, order.AsSpan(start, count), buffer.X);
                Gather(y, order.AsSpan(start, count), buffer.Y);
                yield return buffer;
            }
        }

        private static void Gather(Matrix<double> source, ReadOnlySpan<int> columns, Matrix<double> target)
        {
            var s = Dense.Storage(source);
            var t = Dense.Storage(target);
            int rows = source.RowCount;
            for (int k = 0; k < columns.Length; k++) s.AsSpan(columns[k] * rows, rows).CopyTo(t.AsSpan(k * rows, rows));
        }
    }
}
