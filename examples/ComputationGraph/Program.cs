// The course's computation graph J = 3(a + b·c), forward left to right, then backward right to left.
using System.Globalization;
using GraphDiff;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var a = Graph.Variable("a", 5);
var b = Graph.Variable("b", 3);
var c = Graph.Variable("c", 2);
var u = (b * c).Named("u");
var v = (a + u).Named("v");
var J = (3 * v).Named("J");

Console.WriteLine("Computation graph:");
Console.Write(NodeFormatter.Listing(J));

// The chain rule worked through, from the graph itself: forward left to right, backward right to left.
Console.WriteLine();
Console.Write(Backprop.Explain(J));

// The gradients are graph nodes too: print them, evaluate them, differentiate them again.
Console.WriteLine();
Console.Write(Gradients.Of(J, a, b, c));

// Gradient checking: compare with central differences.
Console.WriteLine();
Console.Write(GradientCheck.Run(J, [a, b, c]));
