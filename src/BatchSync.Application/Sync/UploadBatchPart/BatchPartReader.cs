using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
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

    /// <param name="body">The request body, as received.</param>
    /// <param name="caller">Who sent it.</param>
    /// <param name="digest">What the <c>Content-Digest</c> header, if any, said about the body.</param>
    /// <exception cref="JsonException">The body is not well-formed JSON.</exception>
    public static UploadBatchPartCommand Read(ReadOnlyMemory<byte> body, Caller caller, DigestCheck digest = DigestCheck.Absent)
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
        var errors = new Dictionary<string, string[]>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["must be a JSON object"];
            return new UploadBatchPartCommand(caller, null, null, null, null, null, null, errors, ContentDigest: digest);
        }

        return new UploadBatchPartCommand(
            caller,
            ReadString(root, "sync_id", errors),
            ReadString(root, "device_id", errors),
            ReadString(root, "user_name", errors),
            ReadInt(root, "part_number", errors),
            ReadInt(root, "total_parts", errors),
            ReadRecords(root, errors),
            errors,
            ReadString(root, "checksum", errors),
            RecordsChecksum(root),
            digest);
    }

    /// <summary>The checksum a client computes: <c>sha256:</c> of the records array's bytes as they are in the body.</summary>
    private static string? RecordsChecksum(JsonElement root)
    {
        if (!root.TryGetProperty("records", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(JsonMarshal.GetRawUtf8Value(array)));
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
}
