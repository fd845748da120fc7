using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using BatchSync.Application.Common;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// Reads an upload body into a command without stopping at the first wrong JSON type: every field of the
/// wrong type is noted with its path, for the validator to report together with the rest. Each record
/// is also written out in canonical JSON (its identity, and its line in the dated log file). This is
/// the hottest code of an upload, so property names are compared as UTF-8 bytes, never allocated.
/// </summary>
public static class BatchPartReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    private static readonly JsonWriterOptions CanonicalWriter = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <exception cref="JsonException">The body is not well-formed JSON.</exception>
    public static UploadBatchPartCommand Read(ReadOnlyMemory<byte> body, Caller caller)
    {
        using var document = JsonDocument.Parse(body, DocumentOptions);
        var root = document.RootElement;
        var errors = new Dictionary<string, string[]>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["must be a JSON object"];
            return new UploadBatchPartCommand(caller, null, null, null, null, null, null, errors);
        }

        return new UploadBatchPartCommand(
            caller,
            ReadString(root, "sync_id", errors),
            ReadString(root, "device_id", errors),
            ReadString(root, "user_name", errors),
            ReadInt(root, "part_number", errors),
            ReadInt(root, "total_parts", errors),
            ReadRecords(root, errors),
            errors);
    }

    private static string? ReadString(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors[name] = ["must be a string"];
        return null;
    }

    private static int? ReadInt(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        errors[name] = ["must be an integer"];
        return null;
    }

    private static List<IncomingRecord>? ReadRecords(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("records", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors["records"] = ["must be an array"];
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using var writer = new Utf8JsonWriter(buffer, CanonicalWriter);
        var records = new List<IncomingRecord>(array.GetArrayLength());
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var reader = new RecordReader(index++, errors);
            records.Add(reader.Read(element, buffer, writer));
        }

        return records;
    }

    /// <summary>
    /// The fields the server knows, in the order a canonical record lists them; unknown fields follow,
    /// ordered by name.
    /// </summary>
    private enum Known
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
    private readonly struct RecordReader(int index, Dictionary<string, string[]> errors)
    {
        public IncomingRecord Read(JsonElement element, ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
        {
            var record = new IncomingRecord();
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors[$"records[{index}]"] = ["must be an object"];
                return record;
            }

            var known = new JsonProperty?[(int)Known.Count];
            List<JsonProperty>? unknown = null;
            foreach (var property in element.EnumerateObject())
            {
                var field = Classify(JsonMarshal.GetRawUtf8PropertyName(property));
                if (field == Known.Count)
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

            if (record.Type == "driving" && known[(int)Known.Location] is { } location)
            {
                ReadLocation(record, location.Value);
            }

            JsonProperty[]? extra = null;
            if (unknown is not null)
            {
                extra = Sorted(unknown);
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
            WriteRecord(writer, known, extra);
            writer.Flush();
            record.Json = buffer.WrittenSpan.ToArray();
            return record;
        }

        private static Known Classify(ReadOnlySpan<byte> name) => name.Length switch
        {
            4 when name.SequenceEqual("type"u8) => Known.Type,
            5 when name.SequenceEqual("speed"u8) => Known.Speed,
            7 when name.SequenceEqual("bearing"u8) => Known.Bearing,
            8 when name.SequenceEqual("latitude"u8) => Known.Latitude,
            8 when name.SequenceEqual("accuracy"u8) => Known.Accuracy,
            8 when name.SequenceEqual("altitude"u8) => Known.Altitude,
            8 when name.SequenceEqual("provider"u8) => Known.Provider,
            8 when name.SequenceEqual("location"u8) => Known.Location,
            9 when name.SequenceEqual("timestamp"u8) => Known.Timestamp,
            9 when name.SequenceEqual("longitude"u8) => Known.Longitude,
            10 when name.SequenceEqual("event_type"u8) => Known.EventType,
            12 when name.SequenceEqual("network_type"u8) => Known.NetworkType,
            13 when name.SequenceEqual("battery_level"u8) => Known.BatteryLevel,
            _ => Known.Count,
        };

        private void ReadKnown(IncomingRecord record, Known field, JsonElement value)
        {
            switch (field)
            {
                case Known.Type:
                    record.Present |= RecordFields.Type;
                    record.Type = value.ValueKind == JsonValueKind.String && value.ValueEquals("location"u8) ? "location"
                        : value.ValueKind == JsonValueKind.String && value.ValueEquals("driving"u8) ? "driving"
                        : String(value, "type");
                    break;
                case Known.Timestamp:
                    record.Present |= RecordFields.Timestamp;
                    record.Timestamp = Integer(value, "timestamp");
                    break;
                case Known.Latitude:
                    record.Present |= RecordFields.Latitude;
                    record.Latitude = Number(value, "latitude");
                    break;
                case Known.Longitude:
                    record.Present |= RecordFields.Longitude;
                    record.Longitude = Number(value, "longitude");
                    break;
                case Known.EventType:
                    record.Present |= RecordFields.EventType;
                    record.EventType = String(value, "event_type");
                    break;
                case Known.Accuracy:
                    record.Accuracy = Number(value, "accuracy");
                    break;
                case Known.Altitude:
                    record.Altitude = Number(value, "altitude");
                    break;
                case Known.Speed:
                    record.Speed = Number(value, "speed");
                    break;
                case Known.Bearing:
                    record.Bearing = Number(value, "bearing");
                    break;
                case Known.BatteryLevel:
                    record.BatteryLevel = Number(value, "battery_level");
                    break;
                case Known.NetworkType:
                    record.NetworkType = String(value, "network_type");
                    break;
                case Known.Provider:
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
                record.Present |= RecordFields.LocationLatitude;
                record.LocationLatitude = Number(latitude, "location.latitude");
            }

            if (location.TryGetProperty("longitude"u8, out var longitude))
            {
                record.Present |= RecordFields.LocationLongitude;
                record.LocationLongitude = Number(longitude, "location.longitude");
            }

            if (location.TryGetProperty("accuracy"u8, out var accuracy))
            {
                record.LocationAccuracy = Number(accuracy, "location.accuracy");
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

    /// <summary>Known fields in <see cref="Known"/> order (<c>type</c> and <c>timestamp</c> first), then the rest by name.</summary>
    private static void WriteRecord(Utf8JsonWriter writer, JsonProperty?[] known, JsonProperty[]? extra)
    {
        writer.WriteStartObject();
        foreach (var property in known)
        {
            if (property is { } p)
            {
                WriteProperty(writer, p);
            }
        }

        if (extra is not null)
        {
            for (var i = 0; i < extra.Length; i++)
            {
                if (i == 0 || !JsonMarshal.GetRawUtf8PropertyName(extra[i]).SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(extra[i - 1])))
                {
                    WriteProperty(writer, extra[i]);
                }
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteProperty(Utf8JsonWriter writer, JsonProperty property)
    {
        var name = JsonMarshal.GetRawUtf8PropertyName(property);
        if (name.Contains((byte)'\\'))
        {
            writer.WritePropertyName(property.Name);
        }
        else
        {
            writer.WritePropertyName(name);
        }

        WriteValue(writer, property.Value);
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in SortedProperties(value))
                {
                    WriteProperty(writer, property);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                // A string without escapes is written as it came; one with escapes is decoded and re-encoded,
                // so "\u00e9" and "é" make the same record.
                var raw = JsonMarshal.GetRawUtf8Value(value);
                if (raw.Contains((byte)'\\'))
                {
                    writer.WriteStringValue(value.GetString());
                }
                else
                {
                    writer.WriteRawValue(raw, skipInputValidation: true);
                }

                break;
            default:
                // Numbers keep their text (15.0 stays 15.0); true, false and null are what they are.
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
                break;
        }
    }

    /// <summary>An object's properties in ordinal order of their UTF-8 names.</summary>
    private static JsonProperty[] SortedProperties(JsonElement element) => Sorted([.. element.EnumerateObject()]);

    private static JsonProperty[] Sorted(List<JsonProperty> properties)
    {
        var sorted = properties.ToArray();
        Array.Sort(sorted, static (a, b) =>
            JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b)));
        return sorted;
    }
}
