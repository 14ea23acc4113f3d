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
        return Train(network.Model, Pair(network.X, x, network.Y, y), options);
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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Train(new Model(cost, parameters), Pair(inputX, x, inputY, y), options);
    }

    private static TrainingData Pair(Input inputX, Matrix<double> x, Input inputY, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.ColumnCount != y.ColumnCount)
            throw new ArgumentException($"X is {x.RowCount}×{x.ColumnCount} and Y is {y.RowCount}×{y.ColumnCount}: they must have one column per example, the same m.");
        return new TrainingData { { inputX, x }, { inputY, y } };
    }

    /// <summary>
    /// Trains <paramref name="model"/>: each iteration evaluates its cost and gradients on a mini-batch of
    /// <paramref name="data"/> (the same columns of every input) and lets the optimiser update the parameters.
    /// The data is checked first (shapes, NaN, labels in the cost's domain); training stops with
    /// <see cref="TrainingDivergedException"/> when it diverges.
    /// </summary>
    public static TrainingHistory Train(Model model, TrainingData data, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new TrainingOptions();
        Validate(model, data, options);
        var cost = model.Cost;
        var parameters = model.Parameters;
        var logger = options.Logger;
        var optimizer = options.Optimizer;
        var inputs = data.Select(p => p.Key).ToArray();
        var gradients = Gradients.Of(cost, parameters);
        // The predictions of every binary cross-entropy on fed labels, to watch them for saturation — those the
        // compiler could not compute from logits, whose gradient vanishes where the prediction saturates.
        var compiled = Compiler.Compile(cost);
        var watched = Topology.Order([cost])
            .Where(n => n.Operation is BinaryCrossEntropyOperation && n.Inputs[1] is Input labels && inputs.Contains(labels)
                && compiled[n].Operation is BinaryCrossEntropyOperation)
            .Select(n => (Prediction: n.Inputs[0], Labels: Array.IndexOf(inputs, (Input)n.Inputs[1]))).Distinct().ToArray();
        // The data was checked once above; the batches are copies of it, so the plan need not scan them again.
        var plan = new EvaluationPlan([cost, .. gradients, .. watched.Select(w => w.Prediction)]) { CheckInputs = false };
        if (logger is not null && logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Gradients:{NewLine}{Gradients}Compiled plan:{NewLine}{Report}", Environment.NewLine, gradients.ToString(), Environment.NewLine, plan.Compilation?.ToString());
        var guard = new DivergenceGuard();
        int m = data.Examples, batch = Math.Min(options.BatchSize ?? m, m);
        var batches = new MiniBatches(data.Select(p => p.Value).ToArray(), batch, options.ShuffleSeed);
        var values = new Tensor[gradients.Count];
        var feed = new Feed();   // one feed, its entries replaced every batch: the loop allocates nothing per step
        var records = new List<CostRecord>(options.Epochs / options.RecordEvery + 2);   // sized once: recording allocates nothing per epoch
        var clock = Stopwatch.StartNew();
        int iteration = 0;

        logger?.LogInformation("Training on {Examples} examples: {Optimizer}, {Epochs} epochs, batch {Batch}",
            m, optimizer, options.Epochs, batch == m ? "full" : batch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            double epochCost = 0;
            long saturated = 0;
            if (batch < m) batches.Shuffle();
            for (int b = 0; b < batches.Count; b++)
            {
                var columns = batches[b];
                options.CancellationToken.ThrowIfCancellationRequested();
                iteration++;
                for (int k = 0; k < inputs.Length; k++) feed[inputs[k]] = columns[k];
                Evaluation run;
                try { run = plan.Run(feed); }
                catch (NonFiniteValueException e) { throw Diverged(iteration, epoch, optimizer, e.Message, e); }
                double j = run.Scalar(cost);
                if (!double.IsFinite(j)) throw Diverged(iteration, epoch, optimizer, $"the cost is {j}", null);
                epochCost += j * columns[0].ColumnCount;
                foreach (var (prediction, labels) in watched) saturated += SaturatedWrong(run.Tensor(prediction), Tensor.Of(columns[labels]));
                for (int k = 0; k < values.Length; k++) values[k] = run.Tensor(gradients[k]);
                optimizer.Update(parameters, values);
            }
            epochCost /= m;
            if (options.DetectDivergence && guard.AfterEpoch(epochCost, saturated, (long)m * Math.Max(1, watched.Length)) is { } reason)
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

    private static void Validate(Model model, TrainingData data, TrainingOptions options)
    {
        foreach (var input in model.Inputs)
            if (!data.Any(p => p.Key == input))
                throw new ArgumentException($"The model reads input '{input.Name}' ({input.Shape}), but the training data has no matrix for it.", nameof(data));
        if (data.Examples == 0)
            throw new ArgumentException($"There are no examples to train on: the data has 0 columns (examples are columns).", nameof(data));
        foreach (var (input, matrix) in data)
        {
            if (input.Shape.Rows != Shape.Batch && matrix.RowCount != input.Shape.Rows)
                throw new ArgumentException($"The model's input '{input.Name}' expects {input.Shape}, but was given {matrix.RowCount}×{matrix.ColumnCount}: each column must hold {input.Shape.Rows} values" +
                    (input.Shape.Rows > 1 && matrix.RowCount == 1 ? "; one-hot encode the labels (OneHot.Encode)." : "."));
            CheckFinite(input.Name, matrix);
            LabelCheck.Check(model.Cost, input, matrix);
        }
        foreach (var p in model.Parameters)
            if (Tensor.Of(p.Value).FirstNonFinite() is { } bad)
                throw new ArgumentException($"Parameter '{p.Name}' already holds {bad.Value} at row {bad.Row}, column {bad.Column} before training; " +
                    "give it finite values (re-initialise the network) before training.", nameof(model));
        if (options.Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"Epochs must be positive, got {options.Epochs}.");
        if (options.BatchSize is <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"The batch size must be positive, got {options.BatchSize}.");
        if (options.RecordEvery <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"RecordEvery must be positive, got {options.RecordEvery}.");
    }

    /// <summary>A NaN or ∞ in the data, named by its example (its column in the whole data set, not in a shuffled batch).</summary>
    private static void CheckFinite(string what, Matrix<double> data)
    {
        if (Tensor.Of(data).FirstNonFinite() is { } bad)
            throw new ArgumentException($"{what} holds {bad.Value} at example {bad.Column} (column {bad.Column}, row {bad.Row}); the data must be finite.", "data");
    }

    /// <summary>
    /// Splits the examples into mini-batches, reshuffled every epoch; column-major storage makes each copy
    /// contiguous. Indexed rather than enumerated, so that an epoch allocates nothing.
    /// </summary>
    private sealed class MiniBatches(Matrix<double>[] data, int size, int seed)
    {
        private readonly Random random = new(seed);
        private readonly int[] order = Enumerable.Range(0, data[0].ColumnCount).ToArray();
        private readonly Dictionary<int, Matrix<double>[]> buffers = new();
        private bool shuffled;

        /// <summary>Batches per epoch.</summary>
        public int Count { get; } = (data[0].ColumnCount + size - 1) / size;

        /// <summary>Draws this epoch's order; until the first call the batches are the data itself (full batch: no copy).</summary>
        public void Shuffle()
        {
            random.Shuffle(order);
            shuffled = true;
        }

        /// <summary>Batch <paramref name="index"/> of this epoch, gathered into a buffer reused every epoch.</summary>
        public Matrix<double>[] this[int index]
        {
            get
            {
                if (!shuffled) return data;
                int start = index * size, count = Math.Min(size, order.Length - start);
                if (!buffers.TryGetValue(count, out var buffer)) buffers[count] = buffer = Buffers(count);
                for (int k = 0; k < data.Length; k++) Gather(data[k], order.AsSpan(start, count), buffer[k]);
                return buffer;
            }
        }

        // A method of its own: a lambda capturing count in the indexer would allocate its closure on every call.
        private Matrix<double>[] Buffers(int count) => data.Select(d => (Matrix<double>)new DenseMatrix(d.RowCount, count)).ToArray();

        private static void Gather(Matrix<double> source, ReadOnlySpan<int> columns, Matrix<double> target)
        {
            var s = Tensor.Of(source);
            var t = Tensor.Of(target);
            for (int k = 0; k < columns.Length; k++) s.Column(columns[k]).CopyTo(t.Column(k));
        }
    }
}
