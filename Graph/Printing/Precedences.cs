namespace GraphDiff;

/// <summary>Binding strengths used when printing expressions.</summary>
public static class Precedences
{
    /// <summary>Addition and subtraction.</summary>
    public const int Additive = 1;
    /// <summary>Multiplication, division and matrix product.</summary>
    public const int Multiplicative = 2;
    /// <summary>Unary minus.</summary>
    public const int Unary = 3;
    /// <summary>Powers and transposes (postfix).</summary>
    public const int Postfix = 4;
    /// <summary>Names, numbers and function calls.</summary>
    public const int Atom = 5;
}
