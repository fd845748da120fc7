using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// The fields the server knows, in the order a canonical record lists them; unknown fields follow,
/// ordered by name.
/// </summary>
internal enum KnownField
{
    Type,
    Timestamp,
    EventType,
    Latitude,
    Longitude,
    Accuracy,
    Altitude,
    Speed,
    Bearing,
    BatteryLevel,
    NetworkType,
    Provider,
    Location,
    Count,
}

/// <summary>Reads one record, noting wrong types under <c>records[i].field</c>.</summary>
internal readonly struct RecordReader(int index, Dictionary<string, string[]> errors)
{
    public IncomingRecord Read(JsonElement element, ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        var record = new IncomingRecord();
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors[$"records[{index}]"] = ["must be an object"];
            return record;
        }

        var known = new JsonProperty?[(int)KnownField.Count];
        List<JsonProperty>? unknown = null;
        foreach (var property in element.EnumerateObject())
        {
            var field = Classify(JsonMarshal.GetRawUtf8PropertyName(property));
            if (field == KnownField.Count)
            {
                (unknown ??= []).Add(property);
            }
            else if (known[(int)field] is not null)
            {
                Fail(property.Name, "appears more than once");
            }
            else
            {
                known[(int)field] = property;
                ReadKnown(record, field, property.Value);
            }
        }

        if (record.Type == "driving" && known[(int)KnownField.Location] is { } location)
        {
            ReadLocation(record, location.Value);
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
        CanonicalJson.WriteRecord(writer, known, extra);
        writer.Flush();
        record.Json = buffer.WrittenSpan.ToArray();
        return record;
    }

    private static KnownField Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("type"u8) => KnownField.Type,
        5 when name.SequenceEqual("speed"u8) => KnownField.Speed,
        7 when name.SequenceEqual("bearing"u8) => KnownField.Bearing,
        8 when name.SequenceEqual("latitude"u8) => KnownField.Latitude,
        8 when name.SequenceEqual("accuracy"u8) => KnownField.Accuracy,
        8 when name.SequenceEqual("altitude"u8) => KnownField.Altitude,
        8 when name.SequenceEqual("provider"u8) => KnownField.Provider,
        8 when name.SequenceEqual("location"u8) => KnownField.Location,
        9 when name.SequenceEqual("timestamp"u8) => KnownField.Timestamp,
        9 when name.SequenceEqual("longitude"u8) => KnownField.Longitude,
        10 when name.SequenceEqual("event_type"u8) => KnownField.EventType,
        12 when name.SequenceEqual("network_type"u8) => KnownField.NetworkType,
        13 when name.SequenceEqual("battery_level"u8) => KnownField.BatteryLevel,
        _ => KnownField.Count,
    };

    private void ReadKnown(IncomingRecord record, KnownField field, JsonElement value)
    {
        switch (field)
        {
            case KnownField.Type:
                Mark(record, RecordFields.Type, value);
                record.Type = value.ValueKind == JsonValueKind.String && value.ValueEquals("location"u8) ? "location"
                    : value.ValueKind == JsonValueKind.String && value.ValueEquals("driving"u8) ? "driving"
                    : String(value, "type");
                break;
            case KnownField.Timestamp:
                Mark(record, RecordFields.Timestamp, value);
                record.Timestamp = Integer(value, "timestamp");
                break;
            case KnownField.Latitude:
                Mark(record, RecordFields.Latitude, value);
                record.Latitude = Number(value, "latitude");
                break;
            case KnownField.Longitude:
                Mark(record, RecordFields.Longitude, value);
                record.Longitude = Number(value, "longitude");
                break;
            case KnownField.EventType:
                Mark(record, RecordFields.EventType, value);
                record.EventType = String(value, "event_type");
                break;
            case KnownField.Accuracy:
                record.Accuracy = Number(value, "accuracy");
                break;
            case KnownField.Altitude:
                record.Altitude = Number(value, "altitude");
                break;
            case KnownField.Speed:
                record.Speed = Number(value, "speed");
                break;
            case KnownField.Bearing:
                record.Bearing = Number(value, "bearing");
                break;
            case KnownField.BatteryLevel:
                record.BatteryLevel = Number(value, "battery_level");
                break;
            case KnownField.NetworkType:
                record.NetworkType = String(value, "network_type");
                break;
            case KnownField.Provider:
                record.Provider = String(value, "provider");
                break;
            default:
                break;
        }
    }

    private void ReadLocation(IncomingRecord record, JsonElement location)
    {
        if (location.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (location.ValueKind != JsonValueKind.Object)
        {
            Fail("location", "must be an object");
            return;
        }

        if (location.TryGetProperty("latitude"u8, out var latitude))
        {
            Mark(record, RecordFields.LocationLatitude, latitude);
            record.LocationLatitude = Number(latitude, "location.latitude");
        }

        if (location.TryGetProperty("longitude"u8, out var longitude))
        {
            Mark(record, RecordFields.LocationLongitude, longitude);
            record.LocationLongitude = Number(longitude, "location.longitude");
        }

        if (location.TryGetProperty("accuracy"u8, out var accuracy))
        {
            record.LocationAccuracy = Number(accuracy, "location.accuracy");
        }
    }

    /// <summary>
    /// Notes a field as present unless it is JSON null: null is absence ("is required"), while a value of
    /// the wrong type is present, and already reported here.
    /// </summary>
    private static void Mark(IncomingRecord record, RecordFields field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Null)
        {
            record.Present |= field;
        }
    }

    private string? String(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        if (value.ValueKind != JsonValueKind.Null)
        {
            Fail(field, "must be a string");
        }

        return null;
    }

    private long? Integer(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind != JsonValueKind.Null)
        {
            Fail(field, "must be an integer (Unix epoch milliseconds)");
        }

        return null;
    }

    private double? Number(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }

        if (value.ValueKind != JsonValueKind.Null)
        {
            Fail(field, value.ValueKind == JsonValueKind.Number ? "must be a finite number" : "must be a number");
        }

        return null;
    }

    private void Fail(string field, string message) => errors[$"records[{index}].{field}"] = [message];
}
