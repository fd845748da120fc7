using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// A record's canonical JSON: its line in the dated log file, and its identity (ADR 005) once each
/// number is in its one form. The numbers that are not are noted as they are written, so the identity
/// needs no second reading of the JSON. Property names are compared as UTF-8 bytes, never allocated.
/// </summary>
internal static class CanonicalJson
{
    /// <summary>Known fields in <see cref="KnownField"/> order (<c>type</c> and <c>timestamp</c> first), then the rest by name.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteRecord(Utf8JsonWriter writer, JsonProperty?[] known, JsonProperty[]? extra, NumberForms forms)
    {
        forms.Clear();
        writer.WriteStartObject();
        foreach (var property in known)
        {
            if (property is { } p)
            {
                WriteProperty(writer, p, forms);
            }
        }

        if (extra is not null)
        {
            for (var i = 0; i < extra.Length; i++)
            {
                if (i == 0 || !JsonMarshal.GetRawUtf8PropertyName(extra[i]).SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(extra[i - 1])))
                {
                    WriteProperty(writer, extra[i], forms);
                }
            }
        }

        writer.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteProperty(Utf8JsonWriter writer, JsonProperty property, NumberForms forms)
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

        WriteValue(writer, property.Value, forms);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteValue(Utf8JsonWriter writer, JsonElement value, NumberForms forms)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in SortedProperties(value))
                {
                    WriteProperty(writer, property, forms);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(writer, item, forms);
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
                var text = JsonMarshal.GetRawUtf8Value(value);
                writer.WriteRawValue(text, skipInputValidation: true);
                if (value.ValueKind == JsonValueKind.Number)
                {
                    forms.Check(text, (int)(writer.BytesCommitted + writer.BytesPending) - text.Length);
                }

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

/// <summary>
/// The numbers of one record's canonical JSON that are not in their one form (<see cref="RecordIdentity"/>),
/// by where they lie in it: what turns the canonical JSON into the identity's. Reused record after record.
/// </summary>
internal sealed class NumberForms
{
    // Each rewritten number: where it lies in the canonical JSON, and where its one form lies in _forms.
    private readonly List<(int Start, int Length, int FormStart, int FormLength)> _numbers = [];
    private readonly ArrayBufferWriter<byte> _forms = new(64);

    public void Clear()
    {
        _numbers.Clear();
        _forms.ResetWrittenCount();
    }

    /// <summary>Notes the number written at <paramref name="start"/> if it is not in its one form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Check(ReadOnlySpan<byte> number, int start)
    {
        var formStart = _forms.WrittenCount;
        if (RecordIdentity.TryOneForm(number, _forms))
        {
            _numbers.Add((start, number.Length, formStart, _forms.WrittenCount - formStart));
        }
    }

    /// <summary>The identity's JSON: <paramref name="canonical"/> itself when every number is in its one form.</summary>
    public byte[] Identity(byte[] canonical)
    {
        if (_numbers.Count == 0)
        {
            return canonical;
        }

        var identity = new byte[canonical.Length + _forms.WrittenCount - _numbers.Sum(n => n.Length)];
        int from = 0, to = 0;
        foreach (var (start, length, formStart, formLength) in _numbers)
        {
            canonical.AsSpan(from, start - from).CopyTo(identity.AsSpan(to));
            to += start - from;
            _forms.WrittenSpan.Slice(formStart, formLength).CopyTo(identity.AsSpan(to));
            to += formLength;
            from = start + length;
        }

        canonical.AsSpan(from).CopyTo(identity.AsSpan(to));
        return identity;
    }
}
