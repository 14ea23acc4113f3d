namespace GraphDiff.Tests;

/// <summary>The course's computation graph J = 3(a + b·c) with a = 5, b = 3, c = 2, its nodes named u, v, J.</summary>
internal sealed record CourseGraph(Variable A, Variable B, Variable C, Node U, Node V, Node J)
{
    public static CourseGraph Build()
    {
        var a = Graph.Variable("a", 5); var b = Graph.Variable("b", 3); var c = Graph.Variable("c", 2);
        var u = (b * c).Named("u");
        var v = (a + u).Named("v");
        return new CourseGraph(a, b, c, u, v, (3 * v).Named("J"));
    }
}
