using System.Runtime.CompilerServices;

namespace BatchSync.Domain.Sync;

/// <summary>The JSON type of a known field.</summary>
public enum FieldKind
{
    Number,
    Text,
}

/// <summary>
/// One known field of the record types that carry it: where it sits in a record's JSON
/// (<c>location.latitude</c> is <c>latitude</c> inside the object <c>location</c>), its JSON type, its
/// rule and its column in a CSV export (the last segment of its path). Listed once, in
/// <see cref="RecordSchema"/>.
/// </summary>
public sealed record RecordField
{
    public RecordField(string path, FieldKind kind, params RecordType[] types)
    {
        Path = path;
        Kind = kind;
        Types = types;
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        Parent = dot < 0 ? null : path[..dot];
        Name = dot < 0 ? path : path[(dot + 1)..];
    }

    /// <summary>The field's path in the record, as errors name it: <c>latitude</c>, <c>location.latitude</c>.</summary>
    public string Path { get; }

    /// <summary>The object it sits in, or null for a top-level field.</summary>
    public string? Parent { get; }

    /// <summary>Its property name in its object, also its column's name in a CSV export.</summary>
    public string Name { get; }

    public string Column => Name;

    public FieldKind Kind { get; }

    /// <summary>The record types that carry it.</summary>
    public IReadOnlyList<RecordType> Types { get; }

    /// <summary>Its position in <see cref="RecordSchema.Fields"/>, and in a record's values.</summary>
    public int Index { get; internal set; }

    /// <summary>A record of its types is refused without it (absent or JSON null).</summary>
    public bool Required { get; init; }

    /// <summary>Text that is empty or white space counts as absent.</summary>
    public bool NotBlank { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    /// <summary>For text, the most characters it may have.</summary>
    public int? MaxLength { get; init; }

    public bool IsOf(RecordType type) => Types.Contains(type);

    /// <summary>What is wrong with a value of the right JSON type, or null when it keeps the rule.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string? Check(in FieldValue value)
    {
        if (!value.HasValue)
        {
            return Required ? "is required" : null;
        }

        if (Kind == FieldKind.Text)
        {
            if (NotBlank && string.IsNullOrWhiteSpace(value.Text))
            {
                return "is required";
            }

            return value.Text!.Length > MaxLength ? $"must be at most {MaxLength} characters" : null;
        }

        var number = value.Number;
        return (Min, Max) switch
        {
            ({ } min, { } max) when number < min || number > max => $"must be between {min} and {max}",
            ({ } min, null) when number < min => $"must be at least {min}",
            (null, { } max) when number > max => $"must be at most {max}",
            _ => null,
        };
    }
}
