using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// The staged form of a part's records: a binary list, so that completing a sync decodes its parts
/// without parsing JSON on the writer. A record is what its row and its line need: type, timestamp,
/// content hash, log date, part and position, then its canonical JSON, which holds every field.
/// A list up to 64 KiB (a part of a few hundred records) is stored as it is: Brotli, even at its
/// fastest, cost the writer more in decoding (a tenth of its time under load) than the smaller payload
/// saved. A longer one is compressed with Brotli: stored plain, parts of a thousand records halved the
/// speed of a big sync's upload and raised its memory (ADR 004).
/// Layout: version byte, the list's length, the list (4) or its Brotli (5). Parts staged by an earlier
/// server are read too: their records also held the typed values of the known fields, which are skipped.
/// </summary>
internal sealed partial class StagedRecordCodec : IStagedPartCodec
{
    private const int Header = 5;

    // Type, timestamp, content hash, log date, part, position, the JSON's length; then the JSON.
    private const int RecordHead = 1 + 8 + 8 + 4 + 4 + 4 + 4;

    private const byte Lean = 4;
    private const byte LeanCompressed = 5;
    private const int CompressAbove = 64 * 1024;

    // Above any part a request can carry (a body of at most 128 MiB, at most a million records of 33 bytes
    // besides their JSON: BatchSyncOptionsValidator): a length beyond it is damage, not a buffer to allocate.
    private const int MaxList = 256 * 1024 * 1024;

    public byte[] Encode(IReadOnlyList<PreparedRecord> records)
    {
        var length = 4;
        foreach (var r in records)
        {
            length = checked(length + RecordHead + r.Json.Length);
        }

        if (length <= CompressAbove)
        {
            // Written in place: the payload is the only allocation.
            var payload = new byte[Header + length];
            payload[0] = Lean;
            BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(1), length);
            WriteList(records, payload.AsSpan(Header));
            return payload;
        }

        var list = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            WriteList(records, list.AsSpan(0, length));
            return Compress(list.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(list);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteList(IReadOnlyList<PreparedRecord> records, Span<byte> list)
    {
        BinaryPrimitives.WriteInt32LittleEndian(list, records.Count);
        var at = 4;
        foreach (var r in records)
        {
            var head = list.Slice(at, RecordHead);
            head[0] = (byte)r.Type;
            BinaryPrimitives.WriteInt64LittleEndian(head[1..], r.Timestamp);
            BinaryPrimitives.WriteInt64LittleEndian(head[9..], r.ContentHash);
            BinaryPrimitives.WriteInt32LittleEndian(head[17..], r.LogDate.DayNumber);
            BinaryPrimitives.WriteInt32LittleEndian(head[21..], r.PartNumber);
            BinaryPrimitives.WriteInt32LittleEndian(head[25..], r.Position);
            BinaryPrimitives.WriteInt32LittleEndian(head[29..], r.Json.Length);
            r.Json.CopyTo(list[(at + RecordHead)..]);
            at += RecordHead + r.Json.Length;
        }
    }

    private static byte[] Compress(ReadOnlySpan<byte> list)
    {
        var packed = ArrayPool<byte>.Shared.Rent(Header + BrotliEncoder.GetMaxCompressedLength(list.Length));
        try
        {
            packed[0] = LeanCompressed;
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
        if (payload.Length < Header || payload[0] is not (Lean or LeanCompressed or WithFields or WithFieldsCompressed or FirstLayout))
        {
            throw new InvalidDataException("Unknown staged part format.");
        }

        // The plain layouts are read where they lie, after their header; the others are decompressed
        // into a pooled buffer: a part of a thousand records is a few hundred KB, which would otherwise be
        // a new array on the large object heap for every part a big completion reads.
        var layout = payload[0];
        var length = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(1));
        if (length is < 0 or > MaxList)
        {
            throw Damaged();
        }

        if (layout is Lean or WithFields)
        {
            ReadList(payload.AsSpan(Header), length, layout, into);
            return;
        }

        var plain = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (!BrotliDecoder.TryDecompress(payload.AsSpan(Header), plain.AsSpan(0, length), out var written) || written != length)
            {
                throw Damaged();
            }

            ReadList(plain.AsSpan(0, length), length, layout, into);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    private static void ReadList(ReadOnlySpan<byte> list, int length, byte layout, List<PreparedRecord> into)
    {
        if (list.Length != length)
        {
            throw Damaged();
        }

        var reader = new ListReader(list);
        var count = reader.Int32();
        for (var i = 0; i < count; i++)
        {
            var type = (RecordType)reader.Byte();
            if (!Enum.IsDefined(type))
            {
                throw new InvalidDataException($"Unknown record type {type}.");
            }

            var timestamp = reader.Int64();
            var hash = reader.Int64();
            var day = reader.Int32();
            var part = reader.Int32();
            var position = reader.Int32();
            var json = reader.Bytes(reader.Int32()).ToArray();
            if (layout is not (Lean or LeanCompressed))
            {
                SkipFields(ref reader, type, layout == FirstLayout);
            }

            if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber)
            {
                throw Damaged();
            }

            into.Add(new PreparedRecord(type, timestamp, json, hash, DateOnly.FromDayNumber(day), part, position));
        }

        if (!reader.AtEnd)
        {
            throw Damaged();
        }
    }
}
