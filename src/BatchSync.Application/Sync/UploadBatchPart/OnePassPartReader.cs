using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using BatchSync.Application.Common;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// Reads a part as phones send it, in one pass over the body's bytes: known names, each once, values of
/// their right JSON types, strings without escapes. Such a part becomes the very command
/// <see cref="BatchPartReader"/>'s document walk makes of it, without a document built first (a fifth of
/// an upload's CPU) or a writer between the record and its canonical JSON. Anything else, from an
/// unknown record property to malformed JSON, gives up at once, and the document walk reads the part,
/// reporting what is wrong as it always did.
/// </summary>
internal sealed class OnePassPartReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = BatchPartReader.MaxDepth };

    private readonly OnePassRecordReader _records = new();

    /// <summary>The part's command, or null when the part is not one this reader takes.</summary>
    public static UploadBatchPartCommand? TryRead(ReadOnlyMemory<byte> body, Caller caller, DigestCheck digest)
    {
        try
        {
            return new OnePassPartReader().Read(body.Span, caller, digest);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private UploadBatchPartCommand? Read(ReadOnlySpan<byte> body, Caller caller, DigestCheck digest)
    {
        var reader = new Utf8JsonReader(body, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? syncId = null, deviceId = null, userName = null, checksum = null;
        int? partNumber = null, totalParts = null;
        List<IncomingRecord>? records = null;
        var recordsChecksum = "";
        PartFields seen = PartFields.None, sent = PartFields.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // An escaped name may be one of the part's (the walk unescapes names): left to the walk.
            var field = Field(reader.ValueSpan);
            if (reader.ValueIsEscaped || (seen & field) != 0 || !reader.Read())
            {
                return null;
            }

            seen |= field;
            if (field == PartFields.None)
            {
                // A name the part does not have is passed over, as the document walk never asks for it.
                reader.Skip();
                continue;
            }

            if (reader.TokenType == JsonTokenType.Null && field is not (PartFields.Records or PartFields.PartNumber or PartFields.TotalParts))
            {
                // JSON null is a field that did not come, as for the document walk.
                continue;
            }

            var read = field switch
            {
                PartFields.SyncId => Text(ref reader, out syncId),
                PartFields.DeviceId => Text(ref reader, out deviceId),
                PartFields.UserName => Text(ref reader, out userName),
                PartFields.Checksum => Text(ref reader, out checksum),
                PartFields.PartNumber => Integer(ref reader, out partNumber),
                PartFields.TotalParts => Integer(ref reader, out totalParts),
                _ => RecordsWithChecksum(ref reader, body, out records, out recordsChecksum),
            };
            if (!read)
            {
                return null;
            }

            sent |= field;
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return null;
        }

        var reading = new PartReading(sent, sent, new Dictionary<string, string[]>());
        return BatchPartReader.Command(caller, syncId, deviceId, userName, partNumber, totalParts, records, checksum, recordsChecksum, digest, reading);
    }

    private static PartFields Field(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("sync_id"u8) => PartFields.SyncId,
        _ when name.SequenceEqual("device_id"u8) => PartFields.DeviceId,
        _ when name.SequenceEqual("user_name"u8) => PartFields.UserName,
        _ when name.SequenceEqual("part_number"u8) => PartFields.PartNumber,
        _ when name.SequenceEqual("total_parts"u8) => PartFields.TotalParts,
        _ when name.SequenceEqual("records"u8) => PartFields.Records,
        _ when name.SequenceEqual("checksum"u8) => PartFields.Checksum,
        _ => PartFields.None,
    };

    private static bool Text(ref Utf8JsonReader reader, out string? text)
    {
        // The reader does not check UTF-8 in a string; the walk's text refuses what is not.
        text = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && Utf8.IsValid(reader.ValueSpan)
            ? Encoding.UTF8.GetString(reader.ValueSpan)
            : null;
        return text is not null;
    }

    private static bool Integer(ref Utf8JsonReader reader, out int? number)
    {
        number = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : null;
        return number is not null;
    }

    /// <summary>The records, and the checksum a client computes: <c>sha256:</c> of the array's bytes as they are in the body.</summary>
    private bool RecordsWithChecksum(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, out List<IncomingRecord>? records, out string checksum)
    {
        var start = (int)reader.TokenStartIndex;
        records = Records(ref reader, body);
        checksum = records is null ? "" : BatchPartReader.RecordsChecksum(body[start..(int)reader.BytesConsumed]);
        return records is not null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<IncomingRecord>? Records(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var records = new List<IncomingRecord>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            if (_records.Read(ref reader, body) is not { } record)
            {
                return null;
            }

            records.Add(record);
        }

        return reader.TokenType == JsonTokenType.EndArray ? records : null;
    }

}
