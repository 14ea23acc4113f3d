namespace GraphDiff;

/// <summary>An operand already printed, with the precedence of its outermost operation.</summary>
/// <param name="Text">The printed operand.</param>
/// <param name="Precedence">Its binding strength, one of the constants below (<see cref="Additive"/> … <see cref="Atom"/>).</param>
public readonly record struct FormattedOperand(string Text, int Precedence)
{
    /// <summary>The binding strength of addition and subtraction.</summary>
    public const int Additive = 1;
    /// <summary>The binding strength of multiplication, division and matrix product.</summary>
    public const int Multiplicative = 2;
    /// <summary>The binding strength of unary minus.</summary>
    public const int Unary = 3;
    /// <summary>The binding strength of powers and transposes (postfix).</summary>
    public const int Postfix = 4;
    /// <summary>The binding strength of names, numbers and function calls.</summary>
    public const int Atom = 5;

    /// <summary>The text, in parentheses when it binds more loosely than <paramref name="context"/>.</summary>
    public string Within(int context) => Precedence < context ? $"({Text})" : Text;
}
