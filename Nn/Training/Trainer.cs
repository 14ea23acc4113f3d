using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
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
        return Train(network.Model, Pair(network.X, x, network.Y, y), options, network.EvaluationCost, network.Averages);
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
    public static TrainingHistory Train(Model model, TrainingData data, TrainingOptions? options = null) =>
        Train(model, data, options, validationCost: null);

    /// <summary>
    /// Trains <paramref name="model"/> on the batches of <paramref name="source"/> (in memory or streamed from
    /// files), matched to the model's inputs by name. Each batch is checked as it arrives (NaN, labels).
    /// </summary>
    public static TrainingHistory Train(Model model, IBatchSource source, TrainingOptions? options = null) =>
        Train(model, source, options, validationCost: null);

    /// <summary>Trains <paramref name="network"/> on the batches of <paramref name="source"/>, whose names must include X and Y.</summary>
    public static TrainingHistory Train(Network network, IBatchSource source, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Train(network.Model, source, options, network.EvaluationCost, network.Averages);
    }

    internal static TrainingHistory Train(Model model, TrainingData data, TrainingOptions? options, Node? validationCost, RunningAverages? averages = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new TrainingOptions();
        var precision = options.Precision ?? model.Precision;
        TrainingChecks.Validate(model, data, options, precision);
        return Run(model, new MemoryBatches(data, options.BatchSize, options.ShuffleSeed), options, validationCost ?? model.Cost, checkBatches: false, averages, precision);
    }

    private static TrainingHistory Train(Model model, IBatchSource source, TrainingOptions? options, Node? validationCost, RunningAverages? averages = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new TrainingOptions();
        foreach (var input in model.Inputs)
            if (!source.Names.Contains(input.Name))
                throw new ArgumentException($"The model reads input '{input.Name}' ({input.Shape}), but the batch source gives only {string.Join(", ", source.Names.Select(n => $"'{n}'"))}.", nameof(source));
        if (source.Examples == 0) throw new ArgumentException("The batch source has no examples.", nameof(source));
        TrainingChecks.ValidateOptions(model, options);
        // Float data in memory is checked whole, once, as double data in memory is; streamed batches as they arrive.
        bool checkedWhole = source is SingleBatches;
        if (source is SingleBatches single) TrainingChecks.Validate(model, single);
        return Run(model, source, options, validationCost ?? model.Cost, checkBatches: !checkedWhole, averages, options.Precision ?? model.Precision);
    }

    // averages: a network's batch-norm running averages, moved after each step by the statistics the plan also computes.
    private static TrainingHistory Run(Model model, IBatchSource source, TrainingOptions options, Node validationCost, bool checkBatches, RunningAverages? averages,
        Precision precision)
    {
        var cost = model.Cost;
        var parameters = model.Parameters;
        var logger = options.Logger;
        var optimizer = options.Optimizer;
        // The source's matrices in its order, each fed to the model's input of that name (others are not read).
        var slots = source.Names.Select(n => model.Inputs.FirstOrDefault(i => i.Name == n)).ToArray();
        var inputs = slots.OfType<Input>().ToArray();
        // What each input's labels must be, found once: finding it walks the graph, which a batch must not do.
        var labelDomains = slots.Select(s => s is null ? default : LabelCheck.DomainsOf(cost, s)).ToArray();
        var gradients = Gradients.Of(cost, parameters);
        // The predictions of every binary cross-entropy on fed labels, to watch them for saturation — those the
        // compiler could not compute from logits, whose gradient vanishes where the prediction saturates.
        var compiled = Compiler.Compile(cost);
        var watched = Graph.Order([cost])
            .Where(n => Saturates(n) && n.Inputs[1] is Input labels && slots.Contains(labels) && Saturates(compiled[n]))
            .Select(n => (Prediction: n.Inputs[0], Labels: Array.IndexOf(slots, (Input)n.Inputs[1]))).Distinct().ToArray();
        // Data in memory was checked once above; the batches are copies of it, so the plan need not scan them again.
        var plan = new EvaluationPlan([cost, .. gradients, .. watched.Select(w => w.Prediction), .. averages?.Statistics ?? []], precision) { CheckInputs = checkBatches };
        var wide = new WidenedValues(precision);
        // A float run reads a float source's batches as they are: its data is never widened to double.
        bool readSingle = precision == Precision.Single && source.HoldsSingle;
        if (logger is not null && logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Gradients:{NewLine}{Gradients}Compiled plan:{NewLine}{Report}", Environment.NewLine, gradients.ToString(), Environment.NewLine, plan.Compilation?.ToString());
        var validation = options.Validation is { } v ? new ValidationSet(validationCost, v, precision) : null;
        var stopping = options.EarlyStopping is { } rule ? new StoppingRule(rule, [.. parameters, .. averages?.Variables ?? []]) : null;
        var guard = new DivergenceGuard();
        int m = source.Examples, batch = (m + source.BatchCount - 1) / source.BatchCount;
        var values = new Tensor[gradients.Count];
        var feed = new Feed();   // one feed, its entries replaced every batch: the loop allocates nothing per step
        var records = new List<CostRecord>(options.Epochs / options.RecordEvery + 2);   // sized once: recording allocates nothing per epoch
        double initialRate = optimizer.LearningRate;
        var clock = Stopwatch.StartNew();
        int iteration = 0, epoch = 0;

        logger?.LogInformation("Training on {Examples} examples: {Optimizer}, {Epochs} epochs, batch {Batch}{Precision}",
            m, optimizer, options.Epochs, batch == m ? "full" : batch.ToString(System.Globalization.CultureInfo.InvariantCulture), precision == Precision.Single ? ", in float32" : "");
        try
        {
            for (epoch = 1; epoch <= options.Epochs; epoch++)
            {
                if (options.Schedule is { } schedule) optimizer.LearningRate = schedule.At(epoch - 1, initialRate);
                double epochCost = 0;
                long saturated = 0;
                source.BeginEpoch(epoch - 1);
                long served = 0;
                for (int b = 0; b < source.BatchCount; b++)
                {
                    var columns = readSingle ? null : source.Batch(b);
                    var singles = readSingle ? source.SingleBatch(b) : null;
                    int count = columns is not null ? (columns.Count > 0 ? columns[0].ColumnCount : 0) : (singles!.Count > 0 ? singles[0].Columns : 0);
                    options.CancellationToken.ThrowIfCancellationRequested();
                    iteration++;
                    Evaluation run;
                    try
                    {
                        if (count == 0)
                            throw new ArgumentException("it has no examples; every batch needs at least one.");
                        served += count;
                        for (int k = 0; k < slots.Length; k++)
                            if (slots[k] is { } input)
                            {
                                if (columns is not null)
                                {
                                    if (checkBatches) LabelCheck.Check(labelDomains[k], input, columns[k]);
                                    feed[input] = columns[k];
                                }
                                else
                                {
                                    if (checkBatches) LabelCheck.Check(labelDomains[k], input, singles![k]);
                                    feed.Add(input, singles![k]);
                                }
                            }
                        run = plan.Run(feed);
                    }
                    catch (NonFiniteValueException e) when (e.BeyondSinglePrecision)
                    {
                        // Not the learning rate: a value float32 cannot hold, which the message explains.
                        // At the first iteration nothing was updated yet: the values were so before training, not made so by it.
                        throw new TrainingDivergedException(iteration == 1
                            ? $"Training could not start (a float32 run, before its first update): {e.Message}"
                            : $"Training stopped at iteration {iteration} (epoch {epoch}) of a float32 run: {e.Message}", iteration, e);
                    }
                    catch (NonFiniteValueException e) { throw Diverged(iteration, epoch, optimizer, e.Message, e); }
                    // A batch source's mistakes are named with the batch: positions in the message are within it.
                    catch (ArgumentException e) when (checkBatches)
                    {
                        throw new ArgumentException($"Batch {b + 1} of {source.BatchCount} in epoch {epoch} from the batch source ({source.GetType().Name}): {e.Message}", e);
                    }
                    double j = run.Scalar(cost);
                    if (!double.IsFinite(j)) throw Diverged(iteration, epoch, optimizer, $"the cost is {j}", null);
                    epochCost += j * count;
                    foreach (var (prediction, labels) in watched)
                        saturated += columns is not null ? SaturationWatch.SaturatedWrong<double>(wide.Read(run, prediction), Tensor.Of(columns[labels]))
                            : SaturationWatch.SaturatedWrong(wide.Read(run, prediction), singles![labels]);
                    for (int k = 0; k < values.Length; k++) values[k] = wide.Read(run, gradients[k]);
                    if (options.ClipGradientNorm is { } limit) GradientClipping.ClipByNorm(values, limit);
                    optimizer.Update(parameters, values);
                    averages?.Update(run, wide, count);
                    options.Progress?.Report(new TrainingProgress(epoch, options.Epochs, iteration, j, double.NaN, optimizer.LearningRate, false, clock.Elapsed));
                }
                if (served != m)
                    throw new InvalidOperationException($"The batch source ({source.GetType().Name}) says it has {m} examples, but its {source.BatchCount} batches in epoch {epoch} " +
                        $"held {served}: the epoch's cost (a mean over its examples) would be wrong. Make its Examples and its batches agree.");
                epochCost /= m;
                if (options.DetectDivergence && guard.AfterEpoch(epochCost, saturated, (long)m * Math.Max(1, watched.Length)) is { } reason)
                    throw Diverged(iteration, epoch, optimizer, reason, null, byRule: true);
                double validationCostValue = validation?.Cost() ?? double.NaN;
                options.Progress?.Report(new TrainingProgress(epoch, options.Epochs, iteration, epochCost, validationCostValue, optimizer.LearningRate, true, clock.Elapsed));
                bool stop = stopping?.AfterEpoch(epoch, validation is null ? epochCost : validationCostValue) ?? false;
                if (epoch % options.RecordEvery == 0 || epoch == options.Epochs || epoch == 1 || stop)
                {
                    records.Add(new CostRecord(epoch, iteration, epochCost, validationCostValue, optimizer.LearningRate));
                    if (validation is null) logger?.LogInformation("Cost after epoch {Epoch} (iteration {Iteration}): {Cost:F6}", epoch, iteration, epochCost);
                    else logger?.LogInformation("Cost after epoch {Epoch} (iteration {Iteration}): {Cost:F6}, validation {Validation:F6}", epoch, iteration, epochCost, validationCostValue);
                }
                if (stop)
                {
                    logger?.LogInformation("Stopped early after epoch {Epoch}: no improvement since epoch {Best}", epoch, stopping!.BestEpoch);
                    break;
                }
            }
        }
        finally
        {
            stopping?.Finish();
        }
        logger?.LogInformation("Trained in {Seconds:F1} s, final cost {Cost:F6}", clock.Elapsed.TotalSeconds, records[^1].Cost);
        return new TrainingHistory(records, optimizer.ToString() ?? "", initialRate, clock.Elapsed,
            stoppedAtEpoch: epoch <= options.Epochs ? epoch : null, bestEpoch: stopping?.BestEpoch);
    }

    /// <summary>A binary cross-entropy of probabilities, clipped, whose gradient vanishes where the prediction saturates (its declaration says so).</summary>
    private static bool Saturates(Node node) => node.Operation.Info.Meaning == OperationMeaning.BinaryCrossEntropy;

    // byRule: stopped by one of DetectDivergence's rules (rising cost, saturation), which the option turns off; a NaN or ∞ it does not.
    private static TrainingDivergedException Diverged(int iteration, int epoch, IOptimizer optimizer, string what, Exception? inner, bool byRule = false) =>
        new($"Training diverged at iteration {iteration} (epoch {epoch}): {what.TrimEnd('.')}. The learning rate α = {optimizer.LearningRate:G4} " +
            $"is probably too large for this problem; try a smaller one, e.g. α = {optimizer.LearningRate / 10:G4}, or standardise the inputs (Standardizer)." +
            (byRule ? " TrainingOptions.DetectDivergence = false turns these checks off." : ""),
            iteration, inner);
}
