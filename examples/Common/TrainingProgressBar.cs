using GraphDiff.Nn;
using Spectre.Console;

namespace GraphDiff.Examples;

/// <summary>
/// A live progress bar per training run (Spectre.Console): epochs done, the latest cost (and validation cost),
/// and the time left. On a console that is not interactive (CI, a redirected output) it prints one line per run.
/// </summary>
public static class TrainingProgressBar
{
    /// <summary>Runs <paramref name="train"/>, giving it the progress receiver to put in <see cref="TrainingOptions.Progress"/>.</summary>
    public static TrainingHistory Show(string title, int epochs, Func<IProgress<TrainingProgress>, TrainingHistory> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var history = train(new Ignore());
            Console.WriteLine($"{title}: {history.Costs[^1].Epoch} epochs, final cost {history.FinalCost:F4} ({history.Elapsed.TotalSeconds:F1} s)");
            return history;
        }
        TrainingHistory? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: epochs);
                result = train(new Bar(task, title));
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private sealed class Bar(ProgressTask task, string title) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (!value.IsEpochEnd) return;
            task.Value = value.Epoch;
            var validation = double.IsNaN(value.ValidationCost) ? "" : $", validation {value.ValidationCost:F4}";
            task.Description = Markup.Escape($"{title}: cost {value.Cost:F4}{validation}");
        }
    }

    private sealed class Ignore : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) { }
    }
}
