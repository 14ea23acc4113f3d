#:property PublishAot=false
#:project ../Nn/GraphDiff.Nn.csproj
// Lesson 5 — gradient checking (course 2, week 1): compare backprop's gradients with central differences
// (J(θ + ε) − J(θ − ε)) / 2ε, by the course's ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂) (below 1e-7 is right, above 1e-5 a bug).
// Look at: (1) why a correct network with weights ×0.01 is "inconclusive", not failed — its gradients are too small
// for finite differences to resolve; (2) a wrong derivative caught and traced to its line, with f′(x) at the failing
// element as you would compute it by hand; (3) your own backward_propagation checked quantity by quantity, with the
// classic mistakes named: sign flipped, off by a factor m, transposed, summed over the wrong axis, ReLU's kink.
// Run it: dotnet run lessons/05-gradient-checking.cs
using System.Globalization;
using GraphDiff;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// (1) Week 3's set-up: planar data, a 2-4-1 tanh network, weights ×0.01. The cost is ≈ 0.69 and ∂J/∂b1 ≈ 1e-6, so
// rounding in J (≈ 1e-16) divided by 2ε = 2e-7 is already 1e-3 of that gradient: the course's relative measure
// cannot reach 1e-7 on b1 however right the code. The check says so, with the figures, instead of failing.
var flower = PlanarData.Flower();
var week3 = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Initialization = Initialization.SmallRandom });
var week3Feed = new Feed { { week3.X, flower.X }, { week3.Y, flower.Y } };
Console.WriteLine("(1) Week 3's 2-4-1 tanh network with weights ×0.01 on 400 planar points:");
Console.Write(GradientCheck.Run(week3.Cost, week3.Parameters, week3Feed));
Console.WriteLine("The same network with Xavier weights on 20 points: gradients large enough to confirm.");
var few = PlanarData.Flower(20);
var xavier = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Initialization = Initialization.Xavier });
Console.Write(GradientCheck.Run(xavier.Cost, xavier.Parameters, new Feed { { xavier.X, few.X }, { xavier.Y, few.Y } }));

// (2) An operation with a wrong derivative, as a slip in hand-written backprop would give: d/dx x³ written 2x².
var cube = new Elementwise("Cube", (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i] * x[i]; },
    derivative: (x, y) => 2.0 * Op.Square(x));
var w = Graph.Variable("w", new double[,] { { 0.5, -1.2, 2.0 } });
var J = Op.Sum(cube.Apply(w) + Op.Tanh(w));
Console.WriteLine();
Console.WriteLine("(2) A cube operation whose derivative was written 2x² instead of 3x²:");
var check = GradientCheck.Run(J, [w]);
Console.Write(check);
if (check.Culprit is { } culprit)
    Console.WriteLine($"By hand at x = {culprit.OperandValue}: 3x² = {3 * culprit.OperandValue * culprit.OperandValue}, and the operation said {culprit.Analytic}.");

// (3) Your own backward_propagation, as the course writes it in numpy, checked against the graph.
var (net, X, Y) = (xavier, few.X, few.Y);
var feed = new Feed { { net.X, X }, { net.Y, Y } };
Console.WriteLine();
Console.WriteLine("(3) A hand-written backward_propagation for the 2-4-1 network, right:");
Console.Write(LearnerGradients.Check(net.Cost, feed, Backward(net, X, Y)));
Show("with dZ2 = Y − A2 (sign flipped)", g => g["dZ2"] = -g["dZ2"]);
Show("with dW2 = dZ2·A1ᵀ, no 1/m", g => g["dW2"] *= X.ColumnCount);
Show("with dW1 transposed (a 4×2 read as 2×4)", g => g["dW1"] = g["dW1"].Transpose());
Show("with db1 summed over the units (axis 0) instead of the examples", g => g["db1"] = g["dZ1"].ColumnSums().ToRowMatrix() / X.ColumnCount);

// ReLU's kink: where Z1 = 0 exactly (here an example at the origin, with b1 = 0), ReLU's derivative is taken as 0.
var relu = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.ReLU, Seed = 2 });
var atOrigin = X.Clone();
atOrigin.SetColumn(0, new double[2]);
Console.WriteLine("… a ReLU network whose relu_backward keeps Z >= 0 instead of Z > 0:");
Console.Write(LearnerGradients.Check(relu.Cost, new Feed { { relu.X, atOrigin }, { relu.Y, Y } }, Backward(relu, atOrigin, Y, reluAtZero: 1)));
Console.WriteLine("(The graph's own check cannot confirm b1 here: every nudge of b1 pushes the Z1 of that example across ReLU's kink,");
Console.WriteLine(" where a difference quotient measures the jump, so those elements are skipped and b1 is reported as not checked.)");

void Show(string mistake, Action<Dictionary<string, Matrix<double>>> make)
{
    var mine = Backward(net, X, Y);
    make(mine);
    Console.WriteLine($"… {mistake}:");
    Console.Write(LearnerGradients.Check(net.Cost, feed, mine));
}

// The course's backward_propagation (tanh, or ReLU when the network's hidden layer is ReLU), with dA1 and dA0 as
// L_model_backward names them; reluAtZero is the slope taken at Z = 0.
static Dictionary<string, Matrix<double>> Backward(Network net, Matrix<double> x, Matrix<double> y, double reluAtZero = 0)
{
    Matrix<double> w1 = net.Layers[0].W.Value, b1 = net.Layers[0].B.Value, w2 = net.Layers[1].W.Value, b2 = net.Layers[1].B.Value;
    bool relu = net.Layers[0].Activation == Activation.ReLU;
    int m = x.ColumnCount;
    var ones = DenseMatrix.Create(1, m, 1.0);
    var z1 = w1 * x + b1 * ones;
    var a1 = relu ? z1.Map(z => Math.Max(z, 0)) : z1.Map(Math.Tanh);
    var a2 = (w2 * a1 + b2 * ones).Map(z => 1 / (1 + Math.Exp(-z)));
    var dZ2 = a2 - y;
    var dA1 = w2.Transpose() * dZ2;
    var dZ1 = dA1.PointwiseMultiply(relu ? z1.Map(z => z > 0 ? 1 : z == 0 ? reluAtZero : 0) : a1.Map(a => 1 - a * a));
    return new()
    {
        ["dZ2"] = dZ2, ["dW2"] = dZ2 * a1.Transpose() / m, ["db2"] = dZ2.RowSums().ToColumnMatrix() / m, ["dA1"] = dA1,
        ["dZ1"] = dZ1, ["dW1"] = dZ1 * x.Transpose() / m, ["db1"] = dZ1.RowSums().ToColumnMatrix() / m, ["dA0"] = w1.Transpose() * dZ1,
    };
}
