using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using BatchSync.Domain.Sync;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// Reads one record against <see cref="RecordSchema"/>, noting fields of the wrong JSON type under
/// <c>records[i].field</c>; the rules on values are the validator's.
/// </summary>
internal readonly struct RecordReader(int index, Dictionary<string, string[]> errors)
{
    private const int TypeName = 0;
    private const int TimestampName = 1;

    // The top-level names the schema knows, in canonical order, with the field each one is (null for
    // type, timestamp and the objects that hold fields).
    private static readonly string[] NameTexts = [.. RecordSchema.CanonicalNames];
    internal static readonly byte[][] Names = [.. NameTexts.Select(Encoding.UTF8.GetBytes)];

    // By a name's length, the names of that length: most names are told apart by length alone.
    private static readonly int[][] NamesByLength =
        [.. Enumerable.Range(0, Names.Max(n => n.Length) + 1).Select(length => Enumerable.Range(0, Names.Length).Where(i => Names[i].Length == length).ToArray())];

    private static readonly RecordType[] Types = Enum.GetValues<RecordType>();

    // Which fields came with the wrong JSON type is a bit per field.
    private static readonly int FieldCount = RecordSchema.Fields.Length <= 64
        ? RecordSchema.Fields.Length
        : throw new InvalidOperationException("A record reader tells at most 64 known fields apart.");
    internal static readonly byte[][] TypeNames = [.. Types.Select(t => Encoding.UTF8.GetBytes(t.WireName()))];
    internal static readonly RecordField?[] TopLevel =
        [.. RecordSchema.CanonicalNames.Select(name => RecordSchema.Fields.FirstOrDefault(f => f.Parent is null && f.Name == name))];

    /// <summary>Room for a record's known properties, one per name the schema knows: one per part, cleared for each record.</summary>
    public static JsonProperty?[] KnownPropertiesBuffer() => new JsonProperty?[Names.Length];

    // The methods a part's every record runs through are compiled optimized at once (here, in the canonical
    // JSON, the identity's numbers, the rules, the preparation and the staged list): a fresh server ran them
    // unoptimized for its first seconds under load, a fifth of its CPU while a big sync's parts arrived,
    // because the runtime promotes methods only after a pause in compiling new ones (ADR 004).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IncomingRecord Read(JsonElement element, ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, JsonProperty?[] known, NumberForms forms)
    {
        var values = new FieldValue[FieldCount];
        var wrongTypes = 0UL;
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors[$"records[{index}]"] = ["must be an object"];
            return new IncomingRecord(null, Arrival.WrongType, 0, Arrival.WrongType, values, 0, [], []);
        }

        Array.Clear(known);
        List<JsonProperty>? unknown = null;
        foreach (var property in element.EnumerateObject())
        {
            var name = Classify(JsonMarshal.GetRawUtf8PropertyName(property));
            if (name < 0)
            {
                (unknown ??= []).Add(property);
            }
            else if (known[name] is not null)
            {
                Fail(property.Name, "appears more than once");
            }
            else
            {
                known[name] = property;
                if (TopLevel[name] is { } field && !Read(property.Value, field, out values[field.Index]))
                {
                    wrongTypes |= 1UL << field.Index;
                }
            }
        }

        var (type, typeArrival) = ReadType(known[TypeName]);
        var (timestamp, timestampArrival) = ReadTimestamp(known[TimestampName]);
        if (type is { } recordType)
        {
            wrongTypes |= ReadNested(recordType, known, values);
        }

        JsonProperty[]? extra = null;
        if (unknown is not null)
        {
            extra = CanonicalJson.Sorted(unknown);
            for (var i = 1; i < extra.Length; i++)
            {
                if (JsonMarshal.GetRawUtf8PropertyName(extra[i]).SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(extra[i - 1])))
                {
                    Fail(extra[i].Name, "appears more than once");
                }
            }
        }

        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        CanonicalJson.WriteRecord(writer, known, extra, forms);
        writer.Flush();
        var json = buffer.WrittenSpan.ToArray();
        return new IncomingRecord(type, typeArrival, timestamp, timestampArrival, values, wrongTypes, json, forms.Identity(json));
    }

    /// <summary>The index of a known top-level name in canonical order; -1 for any other name.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Classify(ReadOnlySpan<byte> name)
    {
        if (name.Length < NamesByLength.Length)
        {
            foreach (var i in NamesByLength[name.Length])
            {
                if (name.SequenceEqual(Names[i]))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    private (RecordType? Type, Arrival Arrival) ReadType(JsonProperty? property)
    {
        if (property is not { Value: var value } || value.ValueKind == JsonValueKind.Null)
        {
            return (null, Arrival.Absent);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Fail("type", "must be a string");
            return (null, Arrival.WrongType);
        }

        for (var i = 0; i < Types.Length; i++)
        {
            if (value.ValueEquals(TypeNames[i]))
            {
                return (Types[i], Arrival.Came);
            }
        }

        return (null, Arrival.Came);
    }

    private (long Timestamp, Arrival Arrival) ReadTimestamp(JsonProperty? property)
    {
        if (property is not { Value: var value } || value.ValueKind == JsonValueKind.Null)
        {
            return (0, Arrival.Absent);
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var timestamp))
        {
            return (timestamp, Arrival.Came);
        }

        Fail("timestamp", "must be an integer (Unix epoch milliseconds)");
        return (0, Arrival.WrongType);
    }

    /// <summary>The fields of the record's type that sit in an object (a driving event's <c>location</c>); returns the wrong types' bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ulong ReadNested(RecordType type, JsonProperty?[] known, FieldValue[] values)
    {
        var wrongTypes = 0UL;
        string? parent = null;
        JsonElement holder = default;
        foreach (var field in RecordSchema.Of(type))
        {
            if (field.Parent is null)
            {
                continue;
            }

            if (field.Parent != parent)
            {
                parent = field.Parent;
                holder = known[Array.IndexOf(NameTexts, parent)]?.Value ?? default;
                if (holder.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
                {
                    Fail(parent, "must be an object");
                }
            }

            if (holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty(field.Name, out var value) &&
                !Read(value, field, out values[field.Index]))
            {
                wrongTypes |= 1UL << field.Index;
            }
        }

        return wrongTypes;
    }

    /// <summary>A field's value (none for JSON null); false, and reported, when it is of the wrong JSON type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Read(JsonElement value, RecordField field, out FieldValue read)
    {
        read = FieldValue.None;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (field.Kind == FieldKind.Text)
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                read = FieldValue.Of(value.GetString()!);
                return true;
            }

            Fail(field.Path, "must be a string");
            return false;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            read = FieldValue.Of(number);
            return true;
        }

        Fail(field.Path, value.ValueKind == JsonValueKind.Number ? "must be a finite number" : "must be a number");
        return false;
    }

    private void Fail(string field, string message) => errors[$"records[{index}].{field}"] = [message];
}
