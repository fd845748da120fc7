using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using BatchSync.Application.Common;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// Reads an upload body into a command without stopping at the first wrong JSON type: every field of the
/// wrong type is noted with its path, for the validator to report together with the rest, and every
/// field that came is noted, for the validator to tell "is required" from a value to check. Each record
/// is also written out in canonical JSON (its identity, and its line in the dated log file). This is
/// the hottest code of an upload, so property names are compared as UTF-8 bytes, never allocated. A part
/// as phones send it is read in one pass instead (<see cref="OnePassPartReader"/>), into the same command.
/// </summary>
public static class BatchPartReader
{
    /// <summary>How deep a part's JSON may nest; the one-pass readers give up where the walk would.</summary>
    internal const int MaxDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    private static readonly JsonWriterOptions CanonicalWriter = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <param name="body">The request body, as received.</param>
    /// <param name="caller">Who sent it.</param>
    /// <param name="digest">What the <c>Content-Digest</c> header, if any, said about the body.</param>
    /// <exception cref="JsonException">The body is not well-formed JSON.</exception>
    public static UploadBatchPartCommand Read(ReadOnlyMemory<byte> body, Caller caller, DigestCheck digest = DigestCheck.Absent) =>
        OnePassPartReader.TryRead(body, caller, digest) ?? ReadByDocument(body, caller, digest);

    /// <summary>The part read by walking its parsed document: every part, plain or not, and what is wrong with it.</summary>
    /// <inheritdoc cref="Read"/>
    internal static UploadBatchPartCommand ReadByDocument(ReadOnlyMemory<byte> body, Caller caller, DigestCheck digest)
    {
        try
        {
            return ReadDocument(body, caller, digest);
        }
        catch (InvalidOperationException e)
        {
            // Well-formed JSON that cannot become .NET text: an escaped unpaired UTF-16 surrogate ("\ud800").
            throw new JsonException("A string holds an unpaired UTF-16 surrogate escape.", e);
        }
    }

    private static UploadBatchPartCommand ReadDocument(ReadOnlyMemory<byte> body, Caller caller, DigestCheck digest)
    {
        using var document = JsonDocument.Parse(body, DocumentOptions);
        var root = document.RootElement;
        var fields = new FieldReader();
        if (root.ValueKind != JsonValueKind.Object)
        {
            fields.Errors["body"] = ["must be a JSON object"];
            return new UploadBatchPartCommand(caller, "", "", "", 0, 0, [], null, "", digest, fields.Reading());
        }

        // The fields are read in this order, and the reader's errors are reported in it.
        var syncId = fields.String(root, "sync_id", PartFields.SyncId);
        var deviceId = fields.String(root, "device_id", PartFields.DeviceId);
        var userName = fields.String(root, "user_name", PartFields.UserName);
        var partNumber = fields.Int(root, "part_number", PartFields.PartNumber);
        var totalParts = fields.Int(root, "total_parts", PartFields.TotalParts);
        var records = fields.Records(root);
        var checksum = fields.String(root, "checksum", PartFields.Checksum);
        var recordsChecksum = RecordsChecksum(root) ?? "";
        return Command(caller, syncId, deviceId, userName, partNumber, totalParts, records, checksum, recordsChecksum, digest, fields.Reading());
    }

    /// <summary>The command of what was read, whichever way: a field that did not come is empty (or 0).</summary>
    internal static UploadBatchPartCommand Command(
        Caller caller,
        string? syncId,
        string? deviceId,
        string? userName,
        int? partNumber,
        int? totalParts,
        List<IncomingRecord>? records,
        string? checksum,
        string recordsChecksum,
        DigestCheck digest,
        PartReading reading) =>
        new(caller, syncId ?? "", deviceId ?? "", userName ?? "", partNumber ?? 0, totalParts ?? 0, records ?? [],
            checksum, recordsChecksum, digest, reading);

    /// <summary>The checksum a client computes of the records array's bytes as they are in the body.</summary>
    internal static string RecordsChecksum(ReadOnlySpan<byte> array) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(array));

    /// <summary>The checksum a client computes: <c>sha256:</c> of the records array's bytes as they are in the body.</summary>
    private static string? RecordsChecksum(JsonElement root)
    {
        if (!root.TryGetProperty("records", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return RecordsChecksum(JsonMarshal.GetRawUtf8Value(array));
    }

    /// <summary>Reads the top-level fields, noting which came, which it could read, and which had the wrong type.</summary>
    private sealed class FieldReader
    {
        private PartFields _sent;
        private PartFields _read;

        public Dictionary<string, string[]> Errors { get; } = new();

        public PartReading Reading() => new(_sent, _read, Errors);

        public string? String(JsonElement root, string name, PartFields field)
        {
            if (!Came(root, name, field, out var value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                _read |= field;
                return value.GetString();
            }

            Errors[name] = ["must be a string"];
            return null;
        }

        public int? Int(JsonElement root, string name, PartFields field)
        {
            if (!Came(root, name, field, out var value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            {
                _read |= field;
                return number;
            }

            Errors[name] = ["must be an integer"];
            return null;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public List<IncomingRecord>? Records(JsonElement root)
        {
            if (!Came(root, "records", PartFields.Records, out var array))
            {
                return null;
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                Errors["records"] = ["must be an array"];
                return null;
            }

            _read |= PartFields.Records;
            var buffer = new ArrayBufferWriter<byte>(512);
            using var writer = new Utf8JsonWriter(buffer, CanonicalWriter);
            var records = new List<IncomingRecord>(array.GetArrayLength());
            var known = RecordReader.KnownPropertiesBuffer();
            var forms = new NumberForms();
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                var reader = new RecordReader(index++, Errors);
                records.Add(reader.Read(element, buffer, writer, known, forms));
            }

            return records;
        }

        /// <summary>A field that is absent or JSON null did not come.</summary>
        private bool Came(JsonElement root, string name, PartFields field, out JsonElement value)
        {
            if (!root.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
            {
                return false;
            }

            _sent |= field;
            return true;
        }
    }
}
