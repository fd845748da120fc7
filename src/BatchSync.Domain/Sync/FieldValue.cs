namespace BatchSync.Domain.Sync;

/// <summary>A known field's value in a record: a number, a text, or none (absent or JSON null).</summary>
public readonly record struct FieldValue(bool HasValue, double Number, string? Text)
{
    public static readonly FieldValue None;

    public static FieldValue Of(double number) => new(true, number, null);

    public static FieldValue Of(string text) => new(true, 0, text);

    public double? AsNumber => HasValue ? Number : null;
}
