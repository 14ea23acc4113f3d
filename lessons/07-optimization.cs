#:property PublishAot=false
#:project ../Nn/GraphDiff.Nn.csproj
// Lesson 7 — optimisation algorithms (course 2, week 2): mini-batch gradient descent, momentum, Adam, and
// learning-rate decay, on the same 3-layer network and the planar flower data. Look at: how far each gets in the
// same number of epochs (mini-batches take many more steps per epoch; momentum and Adam smooth them), and what a
// decaying α changes.
// Run it: dotnet run lessons/07-optimization.cs
using System.Globalization;
using GraphDiff;
using GraphDiff.Nn;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var flower = PlanarData.Flower(m: 400, seed: 3);
Console.WriteLine("The planar flower, a 2-5-2-1 ReLU network, 300 epochs with each optimiser from the same initial weights.");
Console.WriteLine();

void Run(string name, IOptimizer optimizer, int? batch, LearningRateSchedule? schedule = null)
{
    var network = Network.Create([2, 5, 2, 1], new NetworkOptions { Seed = 3 });
    var history = Trainer.Train(network, flower.X, flower.Y, new TrainingOptions
    {
        Epochs = 300, BatchSize = batch, ShuffleSeed = 1, Optimizer = optimizer, Schedule = schedule, RecordEvery = 100,
    });
    var costs = string.Join("  ", history.Costs.Select(c => $"{c.Epoch,3}: {c.Cost:F4}"));
    Console.WriteLine($"  {name,-34} {costs}   accuracy {Metrics.Accuracy(network.Predict(flower.X), flower.Classes):P1}");
}

Console.WriteLine("Cost after epochs 1, 100, 200, 300:");
Run("batch gradient descent, α = 0.07", new GradientDescent(0.07), batch: null);
Run("mini-batch (64) gradient descent", new GradientDescent(0.07), batch: 64);
Run("mini-batch with momentum, β = 0.9", new Momentum(0.07, beta: 0.9), batch: 64);
Run("mini-batch with Adam", new Adam(0.007), batch: 64);
Run("Adam, α decayed 1/(1 + t/50)", new Adam(0.007), batch: 64, LearningRateSchedule.InverseTime(decayRate: 1, interval: 50));

Console.WriteLine();
Console.WriteLine("The course's scheduled decay, α = α₀ / (1 + decay·⌊epoch / interval⌋), α₀ = 0.1, decay 1, interval 100:");
var decay = LearningRateSchedule.InverseTime(decayRate: 1, interval: 100);
Console.WriteLine("  " + string.Join("  ", new[] { 0, 99, 100, 199, 200, 300 }.Select(t => $"epoch {t}: {decay.At(t, 0.1):G4}")));
