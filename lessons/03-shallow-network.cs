#:property PublishAot=false
#:project ../Nn/GraphDiff.Nn.csproj
// Lesson 3 — a shallow neural network (course week 3): the planar "flower" data, which logistic regression
// cannot separate, and a 2-n_h-1 network with a tanh hidden layer. Look at: the backprop formula sheet
// (dZ2 = A2 − Y, dW2 = 1/m dZ2·A1ᵀ, dZ1 = W2ᵀ·dZ2 * (1 − A1²), …), printed from the graph, and the accuracy as the
// hidden layer grows.
// Run it: dotnet run lessons/03-shallow-network.cs
using System.Globalization;
using GraphDiff;
using GraphDiff.Nn;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var flower = PlanarData.Flower();
Console.WriteLine($"The flower: X is {flower.X.RowCount} × {flower.X.ColumnCount}, two classes (red and blue petals).");

var logistic = Network.LogisticRegression(2);
Trainer.Train(logistic, flower.X, flower.Y, new TrainingOptions { Epochs = 2000, Optimizer = new GradientDescent(1.0) });
Console.WriteLine($"Logistic regression: {Metrics.Accuracy(logistic.Predict(flower.X), flower.Classes):P1} (a straight line cannot separate petals)");

var network = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Initialization = Initialization.SmallRandom, Seed = 2 });
Console.WriteLine();
Console.Write(network.Describe());
Console.WriteLine("Backprop, as the graph's reverse mode computes it:");
Console.Write(Gradients.Of(network.Cost, network.Parameters));
Trainer.Train(network, flower.X, flower.Y, new TrainingOptions { Epochs = 5000, Optimizer = new GradientDescent(1.2) });
Console.WriteLine($"2-4-1 tanh network: {Metrics.Accuracy(network.Predict(flower.X), flower.Classes):P1}");

Console.WriteLine();
Console.WriteLine("Hidden layer sizes (5000 iterations, α = 1.2):");
foreach (int hidden in new[] { 1, 2, 3, 4, 5, 20 })
{
    var candidate = Network.Create([2, hidden, 1], new NetworkOptions { Hidden = Activation.Tanh, Initialization = Initialization.SmallRandom, Seed = 2 });
    Trainer.Train(candidate, flower.X, flower.Y, new TrainingOptions { Epochs = 5000, Optimizer = new GradientDescent(1.2) });
    Console.WriteLine($"  n_h = {hidden,2}: accuracy {Metrics.Accuracy(candidate.Predict(flower.X), flower.Classes):P1}");
}
