#:property PublishAot=false
#:project ../Nn/GraphDiff.Nn.csproj
// Lesson 1 — the computation graph (course week 2: "Computation graph", "Derivatives with a computation graph").
// J = 3(a + b·c) is three nodes. Look at: the forward values left to right, then the backward pass right to left,
// where each step multiplies the upstream derivative by one local derivative (the chain rule).
// Run it: dotnet run lessons/01-computation-graph.cs
using System.Globalization;
using GraphDiff;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var a = Graph.Variable("a", 5);
var b = Graph.Variable("b", 3);
var c = Graph.Variable("c", 2);
var u = (b * c).Named("u");
var v = (a + u).Named("v");
var J = (3 * v).Named("J");

Console.WriteLine("The graph, one node per line:");
Console.Write(NodeFormatter.Listing(J));

Console.WriteLine();
Console.WriteLine("Forward and backward, step by step (dJ/dv = 3, dJ/du = dJ/dv · dv/du = 3, dJ/db = dJ/du · c = 6, …):");
Console.Write(Backprop.Explain(J));

// The gradients are graph nodes themselves: printed as formulas, evaluated to numbers.
var gradients = Gradients.Of(J, a, b, c);
Console.WriteLine();
Console.WriteLine("The gradients as formulas:");
Console.Write(gradients);
Console.WriteLine($"dJ/da = {gradients[a].Evaluate()[0, 0]}, dJ/db = {gradients[b].Evaluate()[0, 0]}, dJ/dc = {gradients[c].Evaluate()[0, 0]}   (the course: 3, 6, 9)");

// Gradient checking: the same derivatives from central differences, (J(θ + ε) − J(θ − ε)) / 2ε.
Console.WriteLine();
Console.Write(GradientCheck.Run(J, [a, b, c]));

// Nudge a by 0.001: J moves by about dJ/da · 0.001 — what a derivative means.
double before = J.Evaluate()[0, 0];
a.Value[0, 0] += 0.001;
Console.WriteLine($"a → 5.001 moves J from {before} to {J.Evaluate()[0, 0]:F3}: about 3 × 0.001, as dJ/da = 3 says.");
