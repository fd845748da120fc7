using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using BatchSync.Domain.Sync;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// One plain record for <see cref="OnePassPartReader"/>: its values taken from the body's bytes, and its
/// canonical JSON written from them as <see cref="CanonicalJson"/> writes it from a document (known names
/// in canonical order, a holder's fields by name, every value's text as it came), with the numbers not
/// in their one form noted for its identity. Reused record after record.
/// </summary>
internal sealed class OnePassRecordReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = BatchPartReader.MaxDepth };

    // Per holder (a top-level name that is an object of fields), per record type: its fields in the order
    // of their UTF-8 names, which is the order canonical JSON writes them in; null where the type has none.
    private static readonly HeldField[]?[][] Held =
        [.. RecordSchema.CanonicalNames.Select(name => Enum.GetValues<RecordType>()
            .Select(type => RecordSchema.Of(type).Where(f => f.Parent == name).OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => new HeldField(f, Encoding.UTF8.GetBytes(f.Name))).ToArray())
            .Select(fields => fields.Length > 0 ? fields : null)
            .ToArray())];

    private static readonly bool[] IsHolder = [.. Held.Select(byType => byType.Any(fields => fields is not null))];

    private readonly CanonicalBuffer _json = new();
    private readonly NumberForms _forms = new();

    // Where each known name's value lies in the body: start, length, and its token's kind.
    private readonly (int Start, int Length, JsonTokenType Kind)[] _known = new (int, int, JsonTokenType)[RecordReader.Names.Length];

    // A held field's value, by the field's index in its holder's list.
    private readonly (int Start, int Length, JsonTokenType Kind)[] _held = new (int, int, JsonTokenType)[RecordSchema.Fields.Length];

    /// <summary>One record, from its opening brace to its closing one: null when it is not plain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IncomingRecord? Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        Array.Clear(_known);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueIsEscaped ? -1 : RecordReader.Classify(reader.ValueSpan);
            if (name < 0 || _known[name].Kind != JsonTokenType.None || !reader.Read())
            {
                return null;
            }

            var start = (int)reader.TokenStartIndex;
            var kind = reader.TokenType;
            switch (kind)
            {
                case JsonTokenType.String when !reader.ValueIsEscaped:
                case JsonTokenType.Number or JsonTokenType.Null:
                    break;
                case JsonTokenType.StartObject:
                    reader.Skip();
                    break;
                default:
                    return null;
            }

            _known[name] = (start, (int)reader.BytesConsumed - start, kind);
        }

        var type = RecordTypeOf(body);
        if (reader.TokenType != JsonTokenType.EndObject || type is not { } recordType || _known[1].Kind != JsonTokenType.Number)
        {
            return null;
        }

        var timestamp = body.Slice(_known[1].Start, _known[1].Length);
        if (!System.Buffers.Text.Utf8Parser.TryParse(timestamp, out long milliseconds, out var used) || used != timestamp.Length)
        {
            return null;
        }

        var values = new FieldValue[RecordSchema.Fields.Length];
        _json.Clear();
        _forms.Clear();
        _json.Write((byte)'{');
        for (var i = 0; i < _known.Length; i++)
        {
            var (start, length, kind) = _known[i];
            if (kind == JsonTokenType.None)
            {
                continue;
            }

            if (_json.Length > 1)
            {
                _json.Write((byte)',');
            }

            WriteName(RecordReader.Names[i]);
            var value = body.Slice(start, length);
            var written = kind switch
            {
                // An object is one of fields of this record's type; nothing else is taken as one.
                JsonTokenType.StartObject => Held[i][(int)recordType] is { } held && WriteHeld(value, held, values),
                _ when IsHolder[i] => kind == JsonTokenType.Null && Write(value, kind),
                _ => (RecordReader.TopLevel[i] is not { } field || Take(value, kind, field, values)) && Write(value, kind),
            };
            if (!written)
            {
                return null;
            }
        }

        _json.Write((byte)'}');
        var json = _json.ToArray();
        return new IncomingRecord(recordType, Arrival.Came, milliseconds, Arrival.Came, values, 0, json, _forms.Identity(json));
    }

    private RecordType? RecordTypeOf(ReadOnlySpan<byte> body)
    {
        var (start, length, kind) = _known[0];
        if (kind != JsonTokenType.String)
        {
            return null;
        }

        var name = body.Slice(start + 1, length - 2);
        for (var i = 0; i < RecordReader.TypeNames.Length; i++)
        {
            if (name.SequenceEqual(RecordReader.TypeNames[i]))
            {
                return (RecordType)i;
            }
        }

        return null;
    }

    /// <summary>An object of fields (a driving event's <c>location</c>): its fields each once, in name order.</summary>
    private bool WriteHeld(ReadOnlySpan<byte> value, HeldField[] held, FieldValue[] values)
    {
        var reader = new Utf8JsonReader(value, Options);
        reader.Read();
        Array.Clear(_held, 0, held.Length);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = reader.ValueIsEscaped ? -1 : IndexOf(held, reader.ValueSpan);
            if (index < 0 || _held[index].Kind != JsonTokenType.None || !reader.Read() ||
                reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number or JsonTokenType.Null) || reader.ValueIsEscaped)
            {
                return false;
            }

            var start = (int)reader.TokenStartIndex;
            _held[index] = (start, (int)reader.BytesConsumed - start, reader.TokenType);
        }

        _json.Write((byte)'{');
        var first = true;
        for (var i = 0; i < held.Length; i++)
        {
            var (start, length, kind) = _held[i];
            if (kind == JsonTokenType.None)
            {
                continue;
            }

            var text = value.Slice(start, length);
            if (!Take(text, kind, held[i].Field, values))
            {
                return false;
            }

            if (!first)
            {
                _json.Write((byte)',');
            }

            first = false;
            WriteName(held[i].Name);
            Write(text, kind);
        }

        _json.Write((byte)'}');
        return true;
    }

    private static int IndexOf(HeldField[] held, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < held.Length; i++)
        {
            if (name.SequenceEqual(held[i].Name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// A field's value, when it is of its right JSON type: null is none, as in the document walk. A text
    /// must be UTF-8, which the reader does not check inside strings and the walk's text refuses.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Take(ReadOnlySpan<byte> text, JsonTokenType kind, RecordField field, FieldValue[] values)
    {
        switch (kind)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String when field.Kind == FieldKind.Text && Utf8.IsValid(text[1..^1]):
                values[field.Index] = FieldValue.Of(Encoding.UTF8.GetString(text[1..^1]));
                return true;
            case JsonTokenType.Number when field.Kind == FieldKind.Number:
                if (System.Buffers.Text.Utf8Parser.TryParse(text, out double number, out var used) && used == text.Length && double.IsFinite(number))
                {
                    values[field.Index] = FieldValue.Of(number);
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    private void WriteName(ReadOnlySpan<byte> name)
    {
        _json.Write((byte)'"');
        _json.Write(name);
        _json.Write("\":"u8);
    }

    /// <summary>A value as it came: strings and numbers keep their text; a number not in its one form is noted.</summary>
    private bool Write(ReadOnlySpan<byte> text, JsonTokenType kind)
    {
        var start = _json.Length;
        _json.Write(text);
        if (kind == JsonTokenType.Number)
        {
            _forms.Check(text, start);
        }

        return true;
    }

    private sealed record HeldField(RecordField Field, byte[] Name);
}
