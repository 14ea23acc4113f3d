using GraphDiff.Nn;

namespace GraphDiff.Tests.Nn;

public class CsvTableTests
{
    [Fact]
    public void AGoodFileReadsExactly()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("t.csv"), "a,label,\"b c\"\n1.5,1,-2\n3,0,4e-3\n");
        var table = CsvTable.Read(dir.File("t.csv"), labelColumn: "label");
        Assert.Equal(["a", "b c"], table.FeatureNames);
        Assert.Equal("label", table.LabelName);
        Assert.Equal(2, table.Data.Count);
        Assert.Equal(1.5, table.Data.X[0, 0]);
        Assert.Equal(-2, table.Data.X[1, 0]);
        Assert.Equal(0.004, table.Data.X[1, 1]);
        Assert.Equal([1, 0], table.Data.Classes);
    }

    [Fact]
    public void TheShippedBreastCancerFileReads()
    {
        var table = CsvTable.Read(Path.Combine(AppContext.BaseDirectory, "data/breast-cancer-wisconsin.csv"), "malignant");
        Assert.Equal(30, table.FeatureNames.Count);
        Assert.Equal(569, table.Data.Count);
        Assert.Equal(212, table.Data.Classes.Count(c => c == 1));
    }

    [Fact]
    public void ANonNumericCellNamesFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.csv"), "x,y\n1,0\n2,oops\n");
        var error = Assert.Throws<DataFormatException>(() => CsvTable.Read(dir.File("bad.csv")));
        Assert.Contains("bad.csv, line 3", error.Message);
        Assert.Contains("'y'", error.Message);
        Assert.Contains("oops", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void AWrongColumnCountNamesTheLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("ragged.csv"), "x,y,z\n1,0,2\n2,1\n");
        var error = Assert.Throws<DataFormatException>(() => CsvTable.Read(dir.File("ragged.csv")));
        Assert.Contains("ragged.csv, line 3", error.Message);
        Assert.Contains("2 fields where the header has 3", error.Message);
    }

    [Fact]
    public void AMissingLabelColumnListsTheColumns()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("t.csv"), "x,y\n1,0\n");
        var error = Assert.Throws<DataFormatException>(() => CsvTable.Read(dir.File("t.csv"), "label"));
        Assert.Contains("'label'", error.Message);
        Assert.Contains("'x', 'y'", error.Message);
    }

    [Fact]
    public void EmptyFilesAreRefused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("empty.csv"), "");
        Assert.Contains("empty.csv", Assert.Throws<DataFormatException>(() => CsvTable.Read(dir.File("empty.csv"))).Message);
        File.WriteAllText(dir.File("header.csv"), "x,y\n");
        Assert.Contains("no data rows", Assert.Throws<DataFormatException>(() => CsvTable.Read(dir.File("header.csv"))).Message);
    }
}
