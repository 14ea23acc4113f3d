namespace GraphDiff;

/// <summary>An operand already printed, with the precedence of its outermost operation.</summary>
/// <param name="Text">The printed operand.</param>
/// <param name="Precedence">Its binding strength (<see cref="Precedences"/>).</param>
public readonly record struct FormattedOperand(string Text, int Precedence)
{
    /// <summary>The text, in parentheses when it binds more loosely than <paramref name="context"/>.</summary>
    public string Within(int context) => Precedence < context ? $"({Text})" : Text;
}
