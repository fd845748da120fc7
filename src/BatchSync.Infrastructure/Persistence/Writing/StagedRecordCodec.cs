using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// The staged form of a part's records: a binary list, so that completing a sync decodes its parts
/// without parsing JSON on the writer, compressed with Brotli at its fastest setting (a part of
/// GPS fixes shrinks several times), so that staging writes little to the database.
/// Layout: version byte, uncompressed length, Brotli of the list.
/// </summary>
internal sealed class StagedRecordCodec : IStagedPartCodec
{
    private const byte Version = 1;

    public byte[] Encode(IReadOnlyList<PreparedRecord> records)
    {
        var size = 64;
        foreach (var r in records)
        {
            size += r.Json.Length + 128;
        }

        using var stream = new MemoryStream(size);
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
                switch (r.Record)
                {
                    case LocationRecord l:
                        w.Write(l.Latitude);
                        w.Write(l.Longitude);
                        Write(w, l.Accuracy);
                        Write(w, l.Altitude);
                        Write(w, l.Speed);
                        Write(w, l.Bearing);
                        Write(w, l.BatteryLevel);
                        Write(w, l.NetworkType);
                        Write(w, l.Provider);
                        break;
                    case DrivingRecord d:
                        w.Write(d.EventType);
                        Write(w, d.Latitude);
                        Write(w, d.Longitude);
                        Write(w, d.Accuracy);
                        Write(w, d.Speed);
                        Write(w, d.Bearing);
                        break;
                    default:
                        throw new InvalidOperationException($"Unknown record kind {r.Record.GetType().Name}.");
                }
            }
        }

        var plain = stream.GetBuffer().AsSpan(0, (int)stream.Length);
        var packed = ArrayPool<byte>.Shared.Rent(5 + BrotliEncoder.GetMaxCompressedLength(plain.Length));
        try
        {
            packed[0] = Version;
            BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(1), plain.Length);
            if (!BrotliEncoder.TryCompress(plain, packed.AsSpan(5), out var written, quality: 1, window: 22))
            {
                throw new InvalidOperationException("Could not compress a staged part.");
            }

            return packed[..(5 + written)];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(packed);
        }
    }

    public void Decode(byte[] payload, List<PreparedRecord> into)
    {
        if (payload.Length < 5 || payload[0] != Version)
        {
            throw new InvalidDataException("Unknown staged part format.");
        }

        var plain = new byte[BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(1))];
        if (!BrotliDecoder.TryDecompress(payload.AsSpan(5), plain, out var length) || length != plain.Length)
        {
            throw new InvalidDataException("A staged part is damaged.");
        }

        using var r = new BinaryReader(new MemoryStream(plain, writable: false));
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var type = (RecordType)r.ReadByte();
            var timestamp = r.ReadInt64();
            var hash = r.ReadInt64();
            var date = DateOnly.FromDayNumber(r.ReadInt32());
            var part = r.ReadInt32();
            var position = r.ReadInt32();
            var json = r.ReadBytes(r.ReadInt32());
            SyncRecord record = type switch
            {
                RecordType.Location => new LocationRecord(
                    timestamp, r.ReadDouble(), r.ReadDouble(), Double(r), Double(r), Double(r), Double(r), Double(r), String(r), String(r)),
                RecordType.Driving => new DrivingRecord(
                    timestamp, r.ReadString(), Double(r), Double(r), Double(r), Double(r), Double(r)),
                _ => throw new InvalidDataException($"Unknown record type {type}."),
            };
            into.Add(new PreparedRecord(record, json, hash, date, part, position));
        }
    }

    private static void Write(BinaryWriter w, double? value)
    {
        w.Write(value.HasValue);
        if (value.HasValue)
        {
            w.Write(value.Value);
        }
    }

    private static void Write(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
        {
            w.Write(value);
        }
    }

    private static double? Double(BinaryReader r) => r.ReadBoolean() ? r.ReadDouble() : null;

    private static string? String(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;
}
