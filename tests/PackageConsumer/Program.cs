// Logistic regression on two Gaussian blobs, with nothing but the Backprop.GraphDiff package.
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;

var random = new Random(7);
const int m = 400;
double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
var x = Matrix<double>.Build.Dense(2, m);
var y = Matrix<double>.Build.Dense(1, m);
for (int j = 0; j < m; j++)
{
    int label = j % 2;
    x[0, j] = (label == 1 ? 1.5 : -1.5) + Normal();
    x[1, j] = (label == 1 ? 1.0 : -1.0) + Normal();
    y[0, j] = label;
}

var model = Network.LogisticRegression(features: 2);
var history = Trainer.Train(model, x, y, new TrainingOptions { Epochs = 300, Optimizer = new GradientDescent(0.5) });
var classes = Enumerable.Range(0, m).Select(j => (int)y[0, j]).ToArray();
double accuracy = Metrics.Accuracy(model.Predict(x), classes);
Console.WriteLine($"final cost {history.FinalCost:F4}");
Console.WriteLine($"accuracy {accuracy:F4}");
var onnx = GraphDiff.Onnx.OnnxExport.ToBytes([("probabilities", model.Output)]);
Console.WriteLine($"onnx {onnx.Length} bytes");
