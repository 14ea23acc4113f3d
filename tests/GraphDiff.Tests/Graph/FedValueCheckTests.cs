using GraphDiff.Nn;
using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// A plan checks a fed value for NaN and ∞ once per feed entry set, not once per run (the rule on <see cref="Feed"/>):
/// an entry set again is checked again, even with the same array; an array changed in place without that is read
/// unchecked, its NaN reported only where a computed value turns non-finite; another array, another plan, a float
/// feed, a double feed rounded into a float plan, a check switched on later and a check that failed are all checked.
/// </summary>
public class FedValueCheckTests
{
    private static readonly Input X = Graph.Input("x", 3);

    private static Matrix<double> Values() => DenseMatrix.Create(3, 4, (i, j) => i - j * 0.5);

    private static void AssertInputRefused(Action run, string what = "non-finite value NaN")
    {
        var error = Assert.Throws<ArgumentException>(run);
        Assert.Contains("Input 'x'", error.Message);
        Assert.Contains(what, error.Message);
    }

    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Single)]
    public void AnArrayChangedInPlaceIsCheckedAgainOnceItsEntryIsSetAgain(Precision precision)
    {
        var values = Values();
        var doubled = X * 2;
        var plan = new EvaluationPlan([doubled], precision);
        var feed = new Feed { { X, values } };
        plan.Run(feed);
        values[1, 2] = double.NaN;
        // Not set again: the plan does not scan it again, and the NaN is found where it is computed on.
        var computed = Assert.Throws<NonFiniteValueException>(() => plan.Run(feed));
        Assert.StartsWith("2 * x", computed.Message);
        feed[X] = values;   // the same matrix, set again: checked again
        AssertInputRefused(() => plan.Run(feed));
        values[1, 2] = 7;
        feed[X] = values;
        Assert.Equal(14.0, plan.Run(feed)[doubled][1, 2]);
    }

    [Fact]
    public void AValueChangedInPlaceWithoutSettingItAgainIsReadUncheckedAndAnOperationThatKeepsFinitePassesItsNaNOn()
    {
        var values = Values();
        var relu = Op.ReLU(X);
        var plan = new EvaluationPlan([relu]);
        var feed = new Feed { { X, values } };
        Assert.Equal(1.0, plan.Run(feed)[relu][1, 0]);
        values[1, 0] = double.NaN;
        Assert.True(double.IsNaN(plan.Run(feed)[relu][1, 0]));   // the documented cost of not setting the entry again
        feed[X] = values;
        AssertInputRefused(() => plan.Run(feed));
    }

    [Fact]
    public void ADifferentArrayIsChecked()
    {
        var plan = new EvaluationPlan([Op.ReLU(X)]);
        var feed = new Feed { { X, Values() } };
        plan.Run(feed);
        var other = Values();
        other[2, 3] = double.PositiveInfinity;
        feed[X] = other;
        AssertInputRefused(() => plan.Run(feed), "non-finite value Infinity");
        // By name too, and a new feed with the array already checked elsewhere.
        var byName = new Feed();
        byName.Add("x", other);
        AssertInputRefused(() => plan.Run(byName), "non-finite value Infinity");
        AssertInputRefused(() => new EvaluationPlan([Op.ReLU(X)]).Run(new Feed { { X, other } }), "non-finite value Infinity");
    }

    [Fact]
    public void AValueThatFailedItsCheckIsCheckedAgainAtTheNextRun()
    {
        var values = Values();
        values[0, 0] = double.NaN;
        var plan = new EvaluationPlan([Op.ReLU(X)]);
        var feed = new Feed { { X, values } };
        AssertInputRefused(() => plan.Run(feed));
        AssertInputRefused(() => plan.Run(feed));
    }

    [Fact]
    public void EachPlanSharingAFeedChecksWhatItHasNotSeen()
    {
        var values = Values();
        var feed = new Feed { { X, values } };
        var first = new EvaluationPlan([Op.ReLU(X)]);
        var second = new EvaluationPlan([Op.Sigmoid(X)]);
        first.Run(feed);
        values[0, 1] = double.NaN;
        // The second plan reads this entry for the first time: it checks it, whatever the first plan saw.
        AssertInputRefused(() => second.Run(feed));
        first.Run(feed);
        feed[X] = values;
        AssertInputRefused(() => first.Run(feed));
        AssertInputRefused(() => second.Run(feed));
    }

    [Theory]
    [InlineData(Precision.Single)]
    [InlineData(Precision.Double)]
    public void AFloatTensorChangedInPlaceIsCheckedOnceAddedAgain(Precision precision)
    {
        var values = Dataset.ToSingle(Values());
        var relu = Op.ReLU(X);
        var plan = new EvaluationPlan([relu], precision);
        var feed = new Feed();
        feed.Add(X, values);
        plan.Run(feed);
        values.Array[4] = float.NaN;   // row 1, column 1
        Assert.True(double.IsNaN(plan.Run(feed)[relu][1, 1]));
        feed.Add(X, values);
        AssertInputRefused(() => plan.Run(feed));
        var named = new Feed();
        named.Add("x", values);
        AssertInputRefused(() => plan.Run(named));
    }

    [Fact]
    public void ADoubleBeyondFloatIsRefusedByAFloatPlanOnceItsEntryIsSetAgainEvenWithoutInputChecks()
    {
        var values = Values();
        var plan = new EvaluationPlan([Op.ReLU(X)], Precision.Single) { CheckInputs = false };
        var feed = new Feed { { X, values } };
        plan.Run(feed);
        values[2, 2] = 1e300;
        feed[X] = values;
        AssertInputRefused(() => plan.Run(feed), "beyond float32's range");
    }

    [Fact]
    public void TurningInputChecksOnChecksWhatWasBoundUnchecked()
    {
        var values = Values();
        values[1, 1] = double.NaN;
        var relu = Op.ReLU(X);
        var plan = new EvaluationPlan([relu]) { CheckInputs = false };
        var feed = new Feed { { X, values } };
        Assert.True(double.IsNaN(plan.Run(feed)[relu][1, 1]));
        plan.CheckInputs = true;
        AssertInputRefused(() => plan.Run(feed));
    }

    [Fact]
    public void AFeedEntryIsCheckedOnlyOnceAcrossRuns()
    {
        // Observed through the rule itself: after its first check, a value changed in place is not refused as an input.
        var values = Values();
        var relu = Op.ReLU(X);
        var plan = new EvaluationPlan([relu]);
        var feed = new Feed { { X, values } };
        for (int run = 0; run < 3; run++) plan.Run(feed);
        values[0, 3] = double.NaN;
        for (int run = 0; run < 3; run++) Assert.True(double.IsNaN(plan.Run(feed)[relu][0, 3]));
    }
}
