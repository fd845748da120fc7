using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.Persistence.Writing;

namespace BatchSync.UnitTests.Infrastructure;

public class StagedRecordCodecTests
{
    private static readonly List<PreparedRecord> Records =
    [
        new(RecordType.Location, 1694123456789, Encoding.UTF8.GetBytes("{\"a\":1}"), -42, new DateOnly(2023, 9, 7), 3, 0),
        new(RecordType.Location, 1694123456790, Encoding.UTF8.GetBytes("{}"), 7, new DateOnly(2023, 9, 8), 3, 1),
        new(RecordType.Driving, 1694123466789, Encoding.UTF8.GetBytes("{\"é\":\"ü\"}"), long.MaxValue, new DateOnly(2023, 9, 7), 3, 2),
        new(RecordType.Driving, -1694123466790, [], long.MinValue, new DateOnly(2000, 1, 1), 3, 3),
    ];

    // The typed values an earlier server staged beside each record of Records, by the type's fields in
    // schema order: all of a location's, a location with only the required ones, a driving event with
    // its location, one with the event type alone. A text of 200 UTF-8 bytes takes two bytes to give its length.
    private static readonly object?[][] Values =
    [
        [32.0853, 34.7818, 15, 125.5, 45.2, 245.8, 85, new string('é', 100), "gps"],
        [-1.0, -2.0],
        ["driving_start", 32.0863, 34.7828, 12, 0, 180],
        ["stop"],
    ];

    [Fact]
    public void EncodeDecode_Records_RoundTripInTheLeanLayout()
    {
        var codec = new StagedRecordCodec();
        var payload = codec.Encode(Records);
        var decoded = new List<PreparedRecord>();
        codec.Decode(payload, decoded);

        Assert.Equal(4, payload[0]);
        AssertSame(Records, decoded);
    }

    [Fact]
    public void Encode_NoRecords_DecodesToNone()
    {
        var codec = new StagedRecordCodec();
        var decoded = new List<PreparedRecord>();
        codec.Decode(codec.Encode([]), decoded);

        Assert.Empty(decoded);
    }

    [Fact]
    public void EncodeDecode_PartOverTheCompressionThreshold_StoredCompressedAndReadBack()
    {
        var codec = new StagedRecordCodec();
        var many = Enumerable.Range(0, 3000).Select(i => Records[i % Records.Count] with { Position = i }).ToList();
        var payload = codec.Encode(many);
        var decoded = new List<PreparedRecord>();
        codec.Decode(payload, decoded);

        Assert.Equal(5, payload[0]);
        Assert.True(payload.Length < 64 * 1024);
        AssertSame(many, decoded);
    }

    [Fact]
    public void Decode_PartStagedWithTypedValues_ReadsTheSameRecords()
    {
        var decoded = new List<PreparedRecord>();
        new StagedRecordCodec().Decode(Packed(3, WithFields(Records, Values), compress: false), decoded);

        AssertSame(Records, decoded);
    }

    [Fact]
    public void Decode_PartStagedWithTypedValuesCompressed_ReadsTheSameRecords()
    {
        var decoded = new List<PreparedRecord>();
        new StagedRecordCodec().Decode(Packed(2, WithFields(Records, Values), compress: true), decoded);

        AssertSame(Records, decoded);
    }

    [Fact]
    public void Decode_PartStagedInTheFirstLayout_ReadsTheSameRecords()
    {
        // The first layout held every field the types had then, with no count: a location's first nine, a driving event's first six.
        var full = new object?[][]
        {
            Values[0],
            [-1.0, -2.0, null, null, null, null, null, null, null],
            Values[2],
            ["stop", null, null, null, null, null],
        };
        var decoded = new List<PreparedRecord>();
        new StagedRecordCodec().Decode(Packed(1, WithFields(Records, full, count: false), compress: true), decoded);

        AssertSame(Records, decoded);
    }

    [Fact]
    public void Decode_CutShort_ThrowsInvalidData()
    {
        var payload = new StagedRecordCodec().Encode(Records);

        Assert.Throws<InvalidDataException>(() => new StagedRecordCodec().Decode(payload[..^3], []));
    }

    [Fact]
    public void Decode_LengthsThatDisagree_ThrowInvalidData()
    {
        var codec = new StagedRecordCodec();
        var longJson = codec.Encode(Records);
        // The first record's JSON said to run past the end of the list.
        BinaryPrimitives.WriteInt32LittleEndian(longJson.AsSpan(5 + 4 + 29), int.MaxValue);
        var moreRecords = codec.Encode(Records);
        BinaryPrimitives.WriteInt32LittleEndian(moreRecords.AsSpan(5), Records.Count + 1);
        var fewerRecords = codec.Encode(Records);
        BinaryPrimitives.WriteInt32LittleEndian(fewerRecords.AsSpan(5), Records.Count - 1);

        Assert.Throws<InvalidDataException>(() => codec.Decode(longJson, []));
        Assert.Throws<InvalidDataException>(() => codec.Decode(moreRecords, []));
        Assert.Throws<InvalidDataException>(() => codec.Decode(fewerRecords, []));
    }

    [Fact]
    public void Decode_UnknownRecordType_ThrowsInvalidData()
    {
        var payload = new StagedRecordCodec().Encode(Records);
        payload[5 + 4] = 7;

        Assert.Throws<InvalidDataException>(() => new StagedRecordCodec().Decode(payload, []));
    }

    [Fact]
    public void Decode_UnknownVersion_Throws()
    {
        Assert.Throws<InvalidDataException>(() => new StagedRecordCodec().Decode([9, 0, 0, 0, 0], []));
        Assert.Throws<InvalidDataException>(() => new StagedRecordCodec().Decode([4, 0, 0], []));
    }

    private static void AssertSame(List<PreparedRecord> expected, List<PreparedRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Json, actual[i].Json);
            Assert.Equal(expected[i] with { Json = actual[i].Json }, actual[i]);
        }
    }

    /// <summary>A list as an earlier server staged it: each record followed by typed values of its type's fields.</summary>
    private static byte[] WithFields(List<PreparedRecord> records, object?[][] values, bool count = true)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(records.Count);
            for (var i = 0; i < records.Count; i++)
            {
                var r = records[i];
                w.Write((byte)r.Type);
                w.Write(r.Timestamp);
                w.Write(r.ContentHash);
                w.Write(r.LogDate.DayNumber);
                w.Write(r.PartNumber);
                w.Write(r.Position);
                w.Write(r.Json.Length);
                w.Write(r.Json);
                var fields = RecordSchema.Of(r.Type);
                if (count)
                {
                    w.Write((byte)values[i].Length);
                }

                for (var f = 0; f < values[i].Length; f++)
                {
                    var value = values[i][f];
                    if (!fields[f].Required)
                    {
                        w.Write(value is not null);
                    }

                    if (value is string text)
                    {
                        w.Write(text);
                    }
                    else if (value is not null)
                    {
                        w.Write(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        return stream.ToArray();
    }

    private static byte[] Packed(byte layout, byte[] list, bool compress)
    {
        var packed = new byte[5 + BrotliEncoder.GetMaxCompressedLength(list.Length)];
        packed[0] = layout;
        BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(1), list.Length);
        if (!compress)
        {
            list.CopyTo(packed, 5);
            return packed[..(5 + list.Length)];
        }

        Assert.True(BrotliEncoder.TryCompress(list, packed.AsSpan(5), out var written, quality: 1, window: 22));
        return packed[..(5 + written)];
    }
}
