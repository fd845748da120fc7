using System.Runtime.InteropServices;
using System.Text.Json;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// A record's canonical JSON: its identity (ADR 005) and its line in the dated log file. Property
/// names are compared as UTF-8 bytes, never allocated.
/// </summary>
internal static class CanonicalJson
{
    /// <summary>Known fields in <see cref="KnownField"/> order (<c>type</c> and <c>timestamp</c> first), then the rest by name.</summary>
    public static void WriteRecord(Utf8JsonWriter writer, JsonProperty?[] known, JsonProperty[]? extra)
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

    public static JsonProperty[] Sorted(List<JsonProperty> properties)
    {
        var sorted = properties.ToArray();
        Array.Sort(sorted, static (a, b) =>
            JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b)));
        return sorted;
    }
}
