namespace BatchSync.Domain.Sync;

/// <summary>
/// A known field's value in a record: a number, a text, or none (absent or JSON null). Every record holds
/// an array of these, so it is sixteen bytes: a number is kept as its bits XOR those of a NaN that no JSON
/// number can be, which lets the zeroed default read as none without a flag of its own.
/// </summary>
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private const long NoNumber = 0x7FF8_5A5A_5A5A_5A5A;

    // Zero: no number. Otherwise the number's bits XOR NoNumber.
    private readonly long _number;

    private FieldValue(long number, string? text)
    {
        _number = number;
        Text = text;
    }

    public static readonly FieldValue None;

    /// <summary>A number; JSON has no NaN, so no field ever holds one.</summary>
    /// <exception cref="ArgumentException"><paramref name="number"/> is NaN.</exception>
    public static FieldValue Of(double number) =>
        double.IsNaN(number) ? throw new ArgumentException("A field's number cannot be NaN.", nameof(number))
        : new(BitConverter.DoubleToInt64Bits(number) ^ NoNumber, null);

    public static FieldValue Of(string text) => new(0, text);

    public bool HasValue => _number != 0 || Text is not null;

    /// <summary>The number; 0 for a text or none.</summary>
    public double Number => _number == 0 ? 0 : BitConverter.Int64BitsToDouble(_number ^ NoNumber);

    public string? Text { get; }

    public double? AsNumber => HasValue ? Number : null;

    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);

    public bool Equals(FieldValue other) => _number == other._number && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_number, Text);

    public override string ToString() => !HasValue ? "none" : Text ?? Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
