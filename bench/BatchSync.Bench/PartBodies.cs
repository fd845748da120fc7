using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BatchSync.Bench;

/// <summary>A whole sync's part bodies, made before they are sent so that making them is not timed.</summary>
internal static class PartBodies
{
    /// <summary>
    /// The parts of one sync in the load test's record shape, timestamps rising across the parts (part 1
    /// earliest), each with its <c>checksum</c> field as the SDK sends it.
    /// </summary>
    /// <param name="timestamp">The timestamp the first record follows.</param>
    /// <returns>The bodies, part 1 first, and the last record's timestamp.</returns>
    public static (byte[][] Bodies, long Timestamp) Build(string syncId, string device, int parts, int records, long timestamp)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(4096, records * 256));
        var bodies = new byte[parts][];
        for (var part = 1; part <= parts; part++)
        {
            buffer.ResetWrittenCount();
            timestamp = LoadRun.WritePart(buffer, syncId, device, part, parts, records, timestamp);
            bodies[part - 1] = WithChecksum(buffer.WrittenMemory);
        }

        return (bodies, timestamp);
    }

    /// <summary>
    /// The body with <c>"checksum":"sha256:…"</c> of its records array's bytes added as the last field
    /// (the order of an object's fields is free in JSON).
    /// </summary>
    private static byte[] WithChecksum(ReadOnlyMemory<byte> body)
    {
        string checksum;
        using (var document = JsonDocument.Parse(body))
        {
            var records = JsonMarshal.GetRawUtf8Value(document.RootElement.GetProperty("records"));
            checksum = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(records));
        }

        var tail = Encoding.UTF8.GetBytes($",\"checksum\":\"{checksum}\"}}");
        var span = body.Span;
        var end = span.LastIndexOf((byte)'}');
        var result = new byte[end + tail.Length];
        span[..end].CopyTo(result);
        tail.CopyTo(result, end);
        return result;
    }
}
