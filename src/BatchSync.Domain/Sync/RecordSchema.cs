using System.Collections.Immutable;

namespace BatchSync.Domain.Sync;

/// <summary>
/// The known fields of every record type, each listed once: adding a field is one entry here. The
/// reader, the validator, the staging codec and the exports all work from this list; a stored row
/// keeps the fields in its canonical JSON, so the tables need no change for a new field.
/// <para>
/// The order is part of a record's identity (ADR 005): a canonical record lists <c>type</c> and
/// <c>timestamp</c>, then the top-level fields in this order, then the objects that hold fields
/// (<c>location</c>), then every other property by name. A new field goes at the end; records already
/// stored with a property of that name keep the identity they were stored with.
/// </para>
/// </summary>
public static class RecordSchema
{
    private const RecordType Location = RecordType.Location;
    private const RecordType Driving = RecordType.Driving;

    /// <summary>Every known field, in canonical order.</summary>
    public static readonly ImmutableArray<RecordField> Fields = Numbered(
    [
        new("event_type", FieldKind.Text, Driving) { Required = true, NotBlank = true, MaxLength = 64 },
        new("location.latitude", FieldKind.Number, Driving) { Min = -90, Max = 90 },
        new("location.longitude", FieldKind.Number, Driving) { Min = -180, Max = 180 },
        new("location.accuracy", FieldKind.Number, Driving) { Min = 0 },
        new("latitude", FieldKind.Number, Location) { Required = true, Min = -90, Max = 90 },
        new("longitude", FieldKind.Number, Location) { Required = true, Min = -180, Max = 180 },
        new("accuracy", FieldKind.Number, Location) { Min = 0 },
        new("altitude", FieldKind.Number, Location),
        new("speed", FieldKind.Number, Location, Driving) { Min = 0 },
        new("bearing", FieldKind.Number, Location, Driving) { Min = 0, Max = 360 },
        new("battery_level", FieldKind.Number, Location) { Min = 0, Max = 100 },
        new("network_type", FieldKind.Text, Location) { MaxLength = 64 },
        new("provider", FieldKind.Text, Location) { MaxLength = 64 },
    ]);

    private static readonly ImmutableArray<RecordField>[] ByType =
        [.. Enum.GetValues<RecordType>().Select(type => Fields.Where(f => f.IsOf(type)).ToImmutableArray())];

    /// <summary>The fields every record type carries: checked even on a record whose type is unknown.</summary>
    public static readonly ImmutableArray<RecordField> Common =
        [.. Fields.Where(f => Enum.GetValues<RecordType>().All(f.IsOf))];

    /// <summary>
    /// The top-level names a canonical record lists first, in order: <c>type</c>, <c>timestamp</c>, the
    /// top-level fields, then the objects that hold fields.
    /// </summary>
    public static readonly IReadOnlyList<string> CanonicalNames =
    [
        "type",
        "timestamp",
        .. Fields.Where(f => f.Parent is null).Select(f => f.Name),
        .. Fields.Select(f => f.Parent).OfType<string>().Distinct(),
    ];

    /// <summary>The field at a path (<c>latitude</c>, <c>location.latitude</c>).</summary>
    public static RecordField Field(string path) =>
        Fields.FirstOrDefault(f => f.Path == path) ?? throw new ArgumentException($"No known field {path}.", nameof(path));

    /// <summary>The fields of one record type, in canonical order: also the order of its CSV columns.</summary>
    public static ImmutableArray<RecordField> Of(RecordType type) => ByType[(int)type];

    private static ImmutableArray<RecordField> Numbered(RecordField[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i].Index = i;
        }

        return [.. fields];
    }
}
