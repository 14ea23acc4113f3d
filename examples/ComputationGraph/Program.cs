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

// Forward pass: one evaluation computes every node once.
var forward = new EvaluationPlan(u, v, J).Run();
Console.WriteLine();
Console.WriteLine("Forward, left to right:");
Console.WriteLine($"  u = b·c     = {b.Value[0, 0]}·{c.Value[0, 0]} = {forward.Scalar(u)}");
Console.WriteLine($"  v = a + u   = {a.Value[0, 0]} + {forward.Scalar(u)} = {forward.Scalar(v)}");
Console.WriteLine($"  J = 3v      = 3·{forward.Scalar(v)} = {forward.Scalar(J)}");

// Backward pass: the gradients are graph nodes too, so we can print them and evaluate them.
var grads = Gradients.Of(J, v, u, a, b, c);
var back = new EvaluationPlan(grads).Run();
double dv = back.Scalar(grads[v]), du = back.Scalar(grads[u]);
Console.WriteLine();
Console.WriteLine("Backward, right to left (chain rule):");
Console.WriteLine($"  dJ/dv = 3                           = {dv}      node: {grads[v]}");
Console.WriteLine($"  dJ/du = dJ/dv · dv/du = {dv}·1         = {du}      node: {grads[u]}");
Console.WriteLine($"  dJ/da = dJ/dv · dv/da = {dv}·1         = {back.Scalar(grads[a])}      node: {grads[a]}");
Console.WriteLine($"  dJ/db = dJ/du · du/db = {du}·c = {du}·{c.Value[0, 0]}   = {back.Scalar(grads[b])}      node: {grads[b]}");
Console.WriteLine($"  dJ/dc = dJ/du · du/dc = {du}·b = {du}·{b.Value[0, 0]}   = {back.Scalar(grads[c])}      node: {grads[c]}");

// Gradient checking: compare with central differences.
Console.WriteLine();
Console.Write(GradientCheck.Run(J, [a, b, c]));
