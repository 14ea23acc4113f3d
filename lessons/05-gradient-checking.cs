#:project ../Nn/GraphDiff.Nn.csproj
// Lesson 5 — gradient checking (course 2, week 1): compare backprop's gradients with central differences
// (J(θ + ε) − J(θ − ε)) / 2ε. Look at: the relative difference (below 1e-7 is right, above 1e-5 is a bug), and how
// a wrong derivative is caught and traced to the operation and the line that built it.
// Run it: dotnet run lessons/05-gradient-checking.cs
using System.Globalization;
using GraphDiff;
using GraphDiff.Nn;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var flower = PlanarData.Flower();
var network = Network.Create([2, 5, 3, 1], new NetworkOptions { Seed = 3 });
var feed = new Feed { { network.X, flower.X }, { network.Y, flower.Y } };
Console.WriteLine("A 2-5-3-1 network's gradients against central differences:");
Console.Write(GradientCheck.Run(network.Cost, network.Parameters, feed));

// Now an operation with a wrong derivative, as a slip in hand-written backprop would give: d/dx x³ written 2x².
var cube = new Elementwise("Cube", (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i] * x[i]; },
    derivative: (x, y) => 2.0 * Op.Square(x));
var w = Graph.Variable("w", new double[,] { { 0.5, -1.2, 2.0 } });
var J = Op.Sum(cube.Apply(w) + Op.Tanh(w));
Console.WriteLine();
Console.WriteLine("A cube operation whose derivative was written 2x² instead of 3x²:");
var check = GradientCheck.Run(J, [w]);
Console.Write(check);
Console.WriteLine(check.Culprit is { } culprit
    ? $"The check traces it to {culprit.Node.Operation.Name} at {culprit.Node.Location}."
    : "No culprit was found.");
