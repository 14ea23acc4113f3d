// The course's "planar data" week: logistic regression cannot separate the flower's petals; a network with one
// tanh hidden layer can. Hidden layers of 1 to 50 units, each trained by gradient descent with α = 1.2.
using GraphDiff;
using GraphDiff.Examples;
using GraphDiff.Nn;

ExampleSupport.Start();
var flower = Dataset.Flower(m: 400, seed: 1);
Console.WriteLine($"Planar flower data: X is {flower.X.RowCount}×{flower.X.ColumnCount}, Y is {flower.Y.RowCount}×{flower.Y.ColumnCount}.");

// 1. Logistic regression: a straight line through a flower.
var logistic = Network.LogisticRegression(features: 2);
Trainer.Train(logistic, flower.X, flower.Y, new TrainingOptions { Epochs = 2000, Optimizer = new GradientDescent(1.2) });
double logisticAccuracy = Metrics.Accuracy(logistic.Predict(flower.X), flower.Classes);
var logisticPlot = ExampleSupport.OutputFile("planar-logistic-regression.png");
Plots.DecisionBoundary(logistic, flower, logisticPlot, $"Logistic regression ({ExampleSupport.Percent(logisticAccuracy)})");
Console.WriteLine($"Logistic regression: training accuracy {ExampleSupport.Percent(logisticAccuracy)} — it cannot separate the petals.");
Console.WriteLine();

// 2. One tanh hidden layer: [LINEAR→TANH] → LINEAR→SIGMOID, weights ×0.01 as in the course.
var shallow = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Initialization = Initialization.SmallRandom, Seed = 2 });
Console.Write(shallow.Describe());
// Backward propagation is the graph's reverse mode: the gradients are nodes built from the same operations,
// reusing forward nodes (A1, A2) as the course's cache. Every step, with its shape:
var gradients = Gradients.Of(shallow.Cost, shallow.Parameters);
Console.WriteLine("The backward pass as a graph (forward nodes first, then the gradient nodes):");
Console.Write(NodeFormatter.Listing(gradients));
Console.WriteLine();
var history = Trainer.Train(shallow, flower.X, flower.Y, new TrainingOptions
{
    Epochs = 10000,
    Optimizer = new GradientDescent(1.2),
    RecordEvery = 1000,
    Logger = ExampleSupport.Logger("shallow"),
});
double accuracy = Metrics.Accuracy(shallow.Predict(flower.X), flower.Classes);
Console.WriteLine($"4 hidden units: training accuracy {ExampleSupport.Percent(accuracy)} (final cost {history.FinalCost:F4})");
// Backward was the graph's reverse mode; compare it with finite differences on the trained weights.
var check = GradientCheck.Run(shallow.Cost, shallow.Parameters, new Feed { { shallow.X, flower.X }, { shallow.Y, flower.Y } });
Console.WriteLine($"Gradient check of all {shallow.ParameterCount} parameters: difference {check.Difference:E2} ({check.Outcome})");
Console.WriteLine();

// 3. The hidden layer's size.
Console.WriteLine("Hidden units   accuracy   cost      time");
var plots = new List<string> { logisticPlot };
foreach (int units in new[] { 1, 2, 3, 4, 5, 20, 50 })
{
    var model = Network.Create([2, units, 1], new NetworkOptions { Hidden = Activation.Tanh, Initialization = Initialization.SmallRandom, Seed = 2 });
    var run = Trainer.Train(model, flower.X, flower.Y, new TrainingOptions { Epochs = 5000, Optimizer = new GradientDescent(1.2), RecordEvery = 5000 });
    double a = Metrics.Accuracy(model.Predict(flower.X), flower.Classes);
    Console.WriteLine($"{units,12}   {ExampleSupport.Percent(a),8}   {run.FinalCost,7:F4}   {run.Elapsed.TotalSeconds,5:F1} s");
    var plot = ExampleSupport.OutputFile($"planar-hidden-{units}.png");
    Plots.DecisionBoundary(model, flower, plot, $"Hidden layer of size {units} ({ExampleSupport.Percent(a)})");
    plots.Add(plot);
}
Console.WriteLine();
Console.WriteLine("Decision-boundary plots written:");
foreach (var p in plots) Console.WriteLine($"  {p}");

// The 2-4-1 network explained on five examples: its picture, a page that steps through backprop, the ledger.
var small = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Seed = 2 });
var five = new Feed { { small.X, flower.X.SubMatrix(0, 2, 0, 5) }, { small.Y, flower.Y.SubMatrix(0, 1, 0, 5) } };
var picture = ExampleSupport.OutputFile("shallow-network.svg");
File.WriteAllText(picture, GraphSvg.Render(small.Cost, five, withBackward: true));
var stepper = ExampleSupport.OutputFile("shallow-network-backprop.html");
File.WriteAllText(stepper, BackpropStepper.Html(small.Cost, five));
Console.WriteLine();
Console.WriteLine($"Graph picture: {picture}; step through backprop in a browser: {stepper}");
Console.Write(Gradients.Of(small.Cost, small.Parameters));
