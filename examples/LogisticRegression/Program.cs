// Logistic regression on the Wisconsin breast-cancer data: the course's first model, as a graph.
// Standardised features, 25% held out; then the course's comparison of learning rates.
using GraphDiff;
using GraphDiff.Examples;
using GraphDiff.Nn;

ExampleSupport.Start();
var table = CsvTable.Read(ExampleSupport.DataFile("breast-cancer-wisconsin.csv"), labelColumn: "malignant");
var (train, test) = table.Data.Split(testFraction: 0.25, seed: 1);
var scaler = Standardizer.Fit(train.X);                 // fitted on the training set only
var trainSet = new Dataset(scaler.Transform(train.X), train.Y);
var testSet = new Dataset(scaler.Transform(test.X), test.Y);
Console.WriteLine($"Breast cancer: {table.FeatureNames.Count} features, {train.Count} training and {test.Count} test examples (label '{table.LabelName}').");

var model = Network.LogisticRegression(features: table.FeatureNames.Count);
Console.WriteLine();
Console.Write(model.Describe());
Console.WriteLine($"Cost graph: {model.Cost}");

// The gradients come from the graph's reverse mode; check them against finite differences first.
var sample = trainSet.Select(Enumerable.Range(0, 20).ToArray());
var check = GradientCheck.Run(model.Cost, model.Parameters, new Feed { { model.X, sample.X }, { model.Y, sample.Y } });
Console.WriteLine($"Gradient check on 20 examples: difference {check.Difference:E2} ({check.Outcome})");
Console.WriteLine();

var history = Trainer.Train(model, trainSet.X, trainSet.Y, new TrainingOptions
{
    Epochs = 2000,
    Optimizer = new GradientDescent(0.01),
    RecordEvery = 200,
    Logger = ExampleSupport.Logger("logistic-regression"),
});
double trainAccuracy = Metrics.Accuracy(model.Predict(trainSet.X), trainSet.Classes);
double testAccuracy = Metrics.Accuracy(model.Predict(testSet.X), testSet.Classes);
Console.WriteLine();
Console.WriteLine($"Train accuracy: {ExampleSupport.Percent(trainAccuracy)}");
Console.WriteLine($"Test accuracy:  {ExampleSupport.Percent(testAccuracy)}   (scikit-learn's logistic regression: ~95.8% on such a split)");
Console.WriteLine("Confusion matrix on the test set (0 = benign, 1 = malignant):");
Console.Write(ConfusionMatrix.From(model.Predict(testSet.X), testSet.Classes, 2));
var curve = ExampleSupport.OutputFile("logistic-regression-cost.png");
Plots.LearningCurve(history, curve, "Logistic regression, breast cancer");

// The course's comparison: the same model trained with three learning rates.
Console.WriteLine();
Console.WriteLine("Learning rates (1500 iterations each):");
var runs = new List<(string, TrainingHistory)>();
foreach (double alpha in new[] { 0.01, 0.001, 0.0001 })
{
    var candidate = Network.LogisticRegression(table.FeatureNames.Count);
    var run = Trainer.Train(candidate, trainSet.X, trainSet.Y, new TrainingOptions { Epochs = 1500, Optimizer = new GradientDescent(alpha), RecordEvery = 50 });
    double accuracy = Metrics.Accuracy(candidate.Predict(testSet.X), testSet.Classes);
    Console.WriteLine($"  α = {alpha,-7} final cost {run.FinalCost:F4}   test accuracy {ExampleSupport.Percent(accuracy)}");
    runs.Add(($"α = {alpha}", run));
}
var comparison = ExampleSupport.OutputFile("logistic-regression-learning-rates.png");
Plots.Compare(runs, comparison, "Logistic regression: learning rates");
Console.WriteLine();
Console.WriteLine($"Plots written: {curve}");
Console.WriteLine($"               {comparison}");
