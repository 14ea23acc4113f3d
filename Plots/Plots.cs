using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using GraphDiff.Files;
using ScottPlot;

namespace GraphDiff.Nn;

/// <summary>PNG charts a learner wants to see, drawn with ScottPlot and written atomically.</summary>
public static class Plots
{
    /// <summary>The cost against iterations of one training run.</summary>
    public static void LearningCurve(TrainingHistory history, string path, string title = "Learning curve")
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(path);
        var plot = new Plot();
        var line = plot.Add.Scatter(history.Costs.Select(c => (double)c.Iteration).ToArray(), history.Costs.Select(c => c.Cost).ToArray());
        line.LegendText = $"α = {history.LearningRate:G4}";
        Label(plot, title, "iterations", "cost J");
        Save(plot, path);
    }

    /// <summary>Several runs on one chart, e.g. the course's comparison of learning rates 0.01, 0.001 and 0.0001.</summary>
    public static void Compare(IEnumerable<(string Label, TrainingHistory History)> runs, string path, string title = "Learning rates")
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(path);
        var plot = new Plot();
        foreach (var (label, history) in runs)
        {
            var line = plot.Add.Scatter(history.Costs.Select(c => (double)c.Iteration).ToArray(), history.Costs.Select(c => c.Cost).ToArray());
            line.LegendText = label;
            line.MarkerSize = 0;
        }
        Label(plot, title, "iterations", "cost J");
        plot.ShowLegend();
        Save(plot, path);
    }

    /// <summary>The decision regions of a two-feature network, with the examples drawn on top coloured by their true class.</summary>
    public static void DecisionBoundary(Network network, Dataset data, string path, string title = "Decision boundary", int resolution = 200)
    {
        ArgumentNullException.ThrowIfNull(network);
        DecisionBoundary(x => network.Predict(x), data, path, title, resolution);
    }

    /// <summary>
    /// The decision regions of any classifier over the plane of two features, with the examples drawn on top
    /// coloured by their true class. <paramref name="predict"/> classifies a (2, k) matrix of points.
    /// </summary>
    public static void DecisionBoundary(Func<Matrix<double>, int[]> predict, Dataset data, string path, string title = "Decision boundary", int resolution = 200)
    {
        ArgumentNullException.ThrowIfNull(predict);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(path);
        if (resolution is <= 0 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(resolution), $"The resolution is the number of grid points per side, 1 to 4096; got {resolution}.");
        if (data.Count == 0) throw new ArgumentException("There are no examples to draw.", nameof(data));
        if (data.X.RowCount != 2) throw new ArgumentException($"A decision boundary is drawn over two features; X has {data.X.RowCount}.", nameof(data));
        double x0 = data.X.Row(0).Minimum() - 1, x1 = data.X.Row(0).Maximum() + 1;
        double y0 = data.X.Row(1).Minimum() - 1, y1 = data.X.Row(1).Maximum() + 1;
        var grid = new DenseMatrix(2, resolution * resolution);
        for (int r = 0; r < resolution; r++)
            for (int c = 0; c < resolution; c++)
            {
                grid[0, r * resolution + c] = x0 + (x1 - x0) * (c + 0.5) / resolution;
                grid[1, r * resolution + c] = y1 - (y1 - y0) * (r + 0.5) / resolution; // heatmap rows go top-down
            }
        var classes = predict(grid);
        var regions = new double[resolution, resolution];
        for (int r = 0; r < resolution; r++)
            for (int c = 0; c < resolution; c++) regions[r, c] = classes[r * resolution + c];

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(regions);
        heatmap.Extent = new CoordinateRect(x0, x1, y0, y1);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Opacity = 0.45;
        var truth = data.Classes;
        foreach (int label in truth.Distinct().Order())
        {
            var columns = Enumerable.Range(0, data.Count).Where(j => truth[j] == label).ToArray();
            var points = plot.Add.ScatterPoints(columns.Select(j => data.X[0, j]).ToArray(), columns.Select(j => data.X[1, j]).ToArray());
            points.LegendText = $"class {label}";
            points.MarkerSize = 5;
        }
        Label(plot, title, "x₁", "x₂");
        plot.ShowLegend();
        Save(plot, path);
    }

    private static void Label(Plot plot, string title, string x, string y)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
    }

    private static void Save(Plot plot, string path)
    {
        var bytes = plot.GetImageBytes(900, 560, ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}
