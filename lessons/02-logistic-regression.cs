#:property PublishAot=false
#:project ../Nn/GraphDiff.Nn.csproj
// Lesson 2 — logistic regression as a neural network (course week 2).
// ŷ = σ(w·x + b), cost J = −1/m Σ [y log ŷ + (1 − y) log(1 − ŷ)], trained by gradient descent on the Wisconsin
// breast-cancer data. Look at: the shapes (X is n_x × m, examples are columns), the gradient formulas
// dw = 1/m·X·dZᵀ written by the graph itself, the chain rule worked step by step on the cost written by hand,
// the cost falling, and how the learning rate changes it.
// Run it: dotnet run lessons/02-logistic-regression.cs
using System.Globalization;
using GraphDiff;
using GraphDiff.Nn;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var data = Path.Combine(Here(), "..", "data", "breast-cancer-wisconsin.csv");
var table = CsvTable.Read(data, labelColumn: "malignant");
var (train, test) = DataSplit.TrainTest(table.Data, testFraction: 0.25, seed: 1);
var scaler = Standardizer.Fit(train.X);
var xTrain = scaler.Transform(train.X);
var xTest = scaler.Transform(test.X);
Console.WriteLine($"X_train is {xTrain.RowCount} × {xTrain.ColumnCount}: {xTrain.RowCount} features, one example per column; Y_train is 1 × {train.Y.ColumnCount}.");

var model = Network.LogisticRegression(features: xTrain.RowCount);
Console.WriteLine($"The cost as a graph: {model.Cost}");
Console.WriteLine("Its gradients, as the graph's reverse mode writes them:");
Console.Write(Gradients.Of(model.Cost, model.Parameters));

// The same cost written by hand, as the notebook writes it, worked through on three examples: the ledger names every
// step (t1, t2, … for those without a name, the same names the graph's pictures use) and takes the chain rule back
// through each of them, dJ/da included.
var (x, y) = (Graph.Input("X", 2), Graph.Input("Y", 1));
var (w, b) = (Graph.Variable("w", new double[,] { { 0.1 }, { -0.2 } }), Graph.Variable("b", 0.0));
var z = (Op.MatMul(w, true, x, false) + b).Named("z");
var a = Op.Sigmoid(z).Named("a");
var one = Graph.Constant(1.0);
var byHand = Op.Mean(-(y * Op.Log(a) + (one - y) * Op.Log(one - a))).Named("J");
Console.WriteLine();
Console.Write(Backprop.Explain(byHand, new Feed
{
    { x, MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.OfArray(new double[,] { { 1, 2, -1 }, { 0.5, -1, 2 } }) },
    { y, MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.OfArray(new double[,] { { 1, 0, 1 } }) },
}));
// The compiler recognises that cost as the cross-entropy (the report says which rule fired and why), so its
// gradients read as the course derives them: dz = a − y, dw = 1/m·X·dzᵀ, db = 1/m Σ dz.
Console.WriteLine();
Console.Write(Compiler.Compile(byHand));
Console.Write(Gradients.Of(byHand, w, b));

var history = Trainer.Train(model, xTrain, train.Y, new TrainingOptions { Epochs = 1000, Optimizer = new GradientDescent(0.01), RecordEvery = 200 });
Console.WriteLine();
foreach (var record in history.Costs) Console.WriteLine($"  cost after iteration {record.Epoch,4}: {record.Cost:F6}");
Console.WriteLine($"Train accuracy {Metrics.Accuracy(model.Predict(xTrain), train.Classes):P1}, test accuracy {Metrics.Accuracy(model.Predict(xTest), test.Classes):P1}");

Console.WriteLine();
Console.WriteLine("Learning rates, 1000 iterations each (too small learns slowly):");
foreach (double alpha in new[] { 0.1, 0.01, 0.001, 0.0001 })
{
    var candidate = Network.LogisticRegression(xTrain.RowCount);
    var run = Trainer.Train(candidate, xTrain, train.Y, new TrainingOptions { Epochs = 1000, Optimizer = new GradientDescent(alpha) });
    Console.WriteLine($"  α = {alpha,-6}: final cost {run.FinalCost:F4}, test accuracy {Metrics.Accuracy(candidate.Predict(xTest), test.Classes):P1}");
}

// The folder of this lesson file (a file-based app knows its entry point), so the data is found from anywhere.
static string Here() => AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Path.Combine(Environment.CurrentDirectory, "lessons");
