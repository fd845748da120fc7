using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using BatchSync.Application.Common;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// Reads an upload body into a command without stopping at the first wrong JSON type: every field of the
/// wrong type is noted with its path, for the validator to report together with the rest.
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

            var properties = element.EnumerateObject().ToArray();
            Array.Sort(properties, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            for (var i = 0; i < properties.Length; i++)
            {
                if (i > 0 && properties[i].Name == properties[i - 1].Name)
                {
                    Fail(properties[i].Name, "appears more than once");
                    continue;
                }

                ReadKnown(record, properties[i]);
            }

            if (record.Type == "driving" && element.TryGetProperty("location", out var location))
            {
                ReadLocation(record, location);
            }

            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            WriteCanonical(writer, properties);
            writer.Flush();
            record.Json = buffer.WrittenSpan.ToArray();
            return record;
        }

        private void ReadKnown(IncomingRecord record, JsonProperty property)
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "type":
                    record.Present |= RecordFields.Type;
                    record.Type = String(value, "type");
                    break;
                case "timestamp":
                    record.Present |= RecordFields.Timestamp;
                    record.Timestamp = Integer(value, "timestamp");
                    break;
                case "latitude":
                    record.Present |= RecordFields.Latitude;
                    record.Latitude = Number(value, "latitude");
                    break;
                case "longitude":
                    record.Present |= RecordFields.Longitude;
                    record.Longitude = Number(value, "longitude");
                    break;
                case "event_type":
                    record.Present |= RecordFields.EventType;
                    record.EventType = String(value, "event_type");
                    break;
                case "accuracy":
                    record.Accuracy = Number(value, "accuracy");
                    break;
                case "altitude":
                    record.Altitude = Number(value, "altitude");
                    break;
                case "speed":
                    record.Speed = Number(value, "speed");
                    break;
                case "bearing":
                    record.Bearing = Number(value, "bearing");
                    break;
                case "battery_level":
                    record.BatteryLevel = Number(value, "battery_level");
                    break;
                case "network_type":
                    record.NetworkType = String(value, "network_type");
                    break;
                case "provider":
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

            if (location.TryGetProperty("latitude", out var latitude))
            {
                record.Present |= RecordFields.LocationLatitude;
                record.LocationLatitude = Number(latitude, "location.latitude");
            }

            if (location.TryGetProperty("longitude", out var longitude))
            {
                record.Present |= RecordFields.LocationLongitude;
                record.LocationLongitude = Number(longitude, "location.longitude");
            }

            if (location.TryGetProperty("accuracy", out var accuracy))
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

    /// <summary><c>type</c> and <c>timestamp</c> first (a reader sees what a line is at once), the rest by name.</summary>
    private static void WriteCanonical(Utf8JsonWriter writer, JsonProperty[] sortedProperties)
    {
        writer.WriteStartObject();
        foreach (var first in (ReadOnlySpan<string>)["type", "timestamp"])
        {
            foreach (var property in sortedProperties)
            {
                if (property.Name == first)
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                    break;
                }
            }
        }

        string? previous = null;
        foreach (var property in sortedProperties)
        {
            if (property.Name is "type" or "timestamp" || property.Name == previous)
            {
                continue;
            }

            previous = property.Name;
            writer.WritePropertyName(property.Name);
            WriteCanonical(writer, property.Value);
        }

        writer.WriteEndObject();
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = value.EnumerateObject().ToArray();
                Array.Sort(properties, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(value.GetString());
                break;
            default:
                // Numbers keep their text (15.0 stays 15.0); true, false and null are what they are.
                value.WriteTo(writer);
                break;
        }
    }
}
