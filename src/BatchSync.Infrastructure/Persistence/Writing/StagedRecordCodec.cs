using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// The staged form of a part's records: a binary list, so that completing a sync decodes its parts
/// without parsing JSON on the writer. A list up to 64 KiB (a part of a few hundred records) is stored
/// as it is: Brotli, even at its fastest, cost the writer more in decoding (a tenth of its time under
/// load) than the smaller payload saved. A longer one is compressed with Brotli: stored plain, parts of
/// a thousand records halved the speed of a big sync's upload and raised its memory (ADR 004).
/// Layout: version byte, the list's length, the list (3) or its Brotli (2). After its JSON, a record
/// holds how many of its type's known fields follow, then those in <see cref="RecordSchema"/> order, so
/// that a field added at the end of the list reads as absent from a part staged before it.
/// </summary>
internal sealed class StagedRecordCodec : IStagedPartCodec
{
    private const byte Version = 3;
    private const int Header = 5;

    // Version 2 is version 3's list compressed with Brotli (quality 1), for lists over this many bytes.
    private const byte Version2 = 2;
    private const int CompressAbove = 64 * 1024;

    // Version 1 had no field count: every field of the type then, which are the first ones of today's lists.
    private const byte Version1 = 1;
    private static readonly int[] Version1Fields = [9, 6];

    // Each request thread builds its parts' lists in one buffer of its own, kept between parts unless a big
    // part grew it; only the finished payload is allocated.
    private const int KeptBufferBytes = 256 * 1024;

    [ThreadStatic]
    private static MemoryStream? t_stream;

    public byte[] Encode(IReadOnlyList<PreparedRecord> records)
    {
        var stream = t_stream ?? new MemoryStream(64 * 1024);
        t_stream = null;
        stream.SetLength(Header);
        stream.Position = Header;
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(records.Count);
            foreach (var r in records)
            {
                w.Write((byte)r.Record.Type);
                w.Write(r.Record.Timestamp);
                w.Write(r.ContentHash);
                w.Write(r.LogDate.DayNumber);
                w.Write(r.PartNumber);
                w.Write(r.Position);
                w.Write(r.Json.Length);
                w.Write(r.Json);
                var fields = RecordSchema.Of(r.Record.Type);
                w.Write((byte)fields.Length);
                foreach (var field in fields)
                {
                    Write(w, field, r.Record[field]);
                }
            }
        }

        var payload = Payload(stream);
        if (stream.Capacity <= KeptBufferBytes)
        {
            t_stream = stream;
        }

        return payload;
    }

    private static byte[] Payload(MemoryStream stream)
    {
        var buffer = stream.GetBuffer();
        var list = buffer.AsSpan(Header, (int)stream.Length - Header);
        if (list.Length > CompressAbove)
        {
            return Compress(list);
        }

        buffer[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(1), list.Length);
        return buffer.AsSpan(0, (int)stream.Length).ToArray();
    }

    private static byte[] Compress(ReadOnlySpan<byte> list)
    {
        var packed = ArrayPool<byte>.Shared.Rent(Header + BrotliEncoder.GetMaxCompressedLength(list.Length));
        try
        {
            packed[0] = Version2;
            BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(1), list.Length);
            if (!BrotliEncoder.TryCompress(list, packed.AsSpan(Header), out var written, quality: 1, window: 22))
            {
                throw new InvalidOperationException("Could not compress a staged part.");
            }

            return packed[..(Header + written)];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(packed);
        }
    }

    public void Decode(byte[] payload, List<PreparedRecord> into)
    {
        if (payload.Length < Header || payload[0] is not (Version or Version2 or Version1))
        {
            throw new InvalidDataException("Unknown staged part format.");
        }

        // Layout 3 is read where it lies, after its header; the others are decompressed first.
        var length = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(1));
        var (list, start) = payload[0] == Version ? (payload, Header) : (Decompress(payload, length), 0);
        if (list.Length != start + length)
        {
            throw new InvalidDataException("A staged part is damaged.");
        }

        using var r = new BinaryReader(new MemoryStream(list, start, length, writable: false));
        ReadRecords(r, payload[0] == Version1, into);
    }

    private static byte[] Decompress(byte[] payload, int length)
    {
        var plain = new byte[length];
        if (!BrotliDecoder.TryDecompress(payload.AsSpan(Header), plain, out var written) || written != length)
        {
            throw new InvalidDataException("A staged part is damaged.");
        }

        return plain;
    }

    private static void ReadRecords(BinaryReader r, bool firstLayout, List<PreparedRecord> into)
    {
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var type = (RecordType)r.ReadByte();
            if (!Enum.IsDefined(type))
            {
                throw new InvalidDataException($"Unknown record type {type}.");
            }

            var timestamp = r.ReadInt64();
            var hash = r.ReadInt64();
            var date = DateOnly.FromDayNumber(r.ReadInt32());
            var part = r.ReadInt32();
            var position = r.ReadInt32();
            var json = r.ReadBytes(r.ReadInt32());
            var fields = RecordSchema.Of(type);
            var stored = firstLayout ? Version1Fields[(int)type] : r.ReadByte();
            if (stored > fields.Length)
            {
                throw new InvalidDataException($"A staged {type.WireName()} record has fields this server does not know.");
            }

            var values = new FieldValue[RecordSchema.Fields.Length];
            for (var f = 0; f < stored; f++)
            {
                values[fields[f].Index] = Read(r, fields[f]);
            }

            var record = new SyncRecord(type, timestamp, values);
            into.Add(new PreparedRecord(record, json, hash, date, part, position));
        }
    }

    /// <summary>A required field is written bare; any other with a byte that says whether it has a value.</summary>
    private static void Write(BinaryWriter w, RecordField field, FieldValue value)
    {
        if (!field.Required)
        {
            w.Write(value.HasValue);
            if (!value.HasValue)
            {
                return;
            }
        }

        if (field.Kind == FieldKind.Number)
        {
            w.Write(value.Number);
        }
        else
        {
            w.Write(value.Text!);
        }
    }

    private static FieldValue Read(BinaryReader r, RecordField field) =>
        !field.Required && !r.ReadBoolean() ? FieldValue.None
        : field.Kind == FieldKind.Number ? FieldValue.Of(r.ReadDouble())
        : FieldValue.Of(r.ReadString());
}
