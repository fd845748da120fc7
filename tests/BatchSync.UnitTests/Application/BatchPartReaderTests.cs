using System.Text;
using BatchSync.Application.Common;
using BatchSync.Application.Sync.UploadBatchPart;
using BatchSync.Domain.Sync;

namespace BatchSync.UnitTests.Application;

public class BatchPartReaderTests
{
    private static readonly Caller Device = new("t", CallerRole.Device, null);

    private static IncomingRecord ReadOne(string record) =>
        BatchPartReader.Read(Encoding.UTF8.GetBytes($$"""{"records":[{{record}}]}"""), Device).Records[0];

    [Fact]
    public void Read_KeyOrderAndWhitespace_SameCanonicalJson()
    {
        var a = ReadOne("""{"type":"location","timestamp":1,"latitude":1.5,"longitude":2,"meta":{"z":1,"a":[1,{"y":2,"b":3}]}}""");
        var b = ReadOne("""{ "meta" : {"a":[1,{"b":3,"y":2}],"z":1}, "longitude":2, "latitude":1.5, "timestamp":1, "type":"location" }""");

        Assert.Equal(Encoding.UTF8.GetString(a.Json), Encoding.UTF8.GetString(b.Json));
        Assert.Equal(
            """{"type":"location","timestamp":1,"latitude":1.5,"longitude":2,"meta":{"a":[1,{"b":3,"y":2}],"z":1}}""",
            Encoding.UTF8.GetString(a.Json));
    }

    [Fact]
    public void Read_UnknownFieldsAndUnicode_KeptReadable()
    {
        var record = ReadOne("""{"type":"driving","timestamp":1,"event_type":"hard_brake","note":"caf\u00e9 \"x\"","n":null}""");

        Assert.Equal(
            """{"type":"driving","timestamp":1,"event_type":"hard_brake","n":null,"note":"café \"x\""}""",
            Encoding.UTF8.GetString(record.Json));
    }

    [Fact]
    public void Read_NumbersKeepTheirText()
    {
        var record = ReadOne("""{"type":"location","timestamp":1,"latitude":15.0,"longitude":1e2}""");

        Assert.Equal("""{"type":"location","timestamp":1,"latitude":15.0,"longitude":1e2}""", Encoding.UTF8.GetString(record.Json));
        Assert.Equal(100, record[RecordSchema.Field("longitude")].Number);
    }

    [Fact]
    public void Read_MalformedJson_Throws()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => BatchPartReader.Read("{\"records\":[{]}"u8.ToArray(), Device));
    }

    [Fact]
    public void Read_NotAnObject_ReportedAsBody()
    {
        var command = BatchPartReader.Read("[1,2]"u8.ToArray(), Device);

        Assert.Equal(["must be a JSON object"], command.Reading.Errors["body"]);
        Assert.Equal(PartFields.None, command.Reading.Sent);
    }

    [Fact]
    public void Read_FieldsAbsentNullOrOfTheWrongType_NotedApart()
    {
        var command = BatchPartReader.Read(
            """{"sync_id":"s1","device_id":null,"part_number":"1","total_parts":2,"records":[]}"""u8.ToArray(), Device);

        Assert.Equal(PartFields.SyncId | PartFields.PartNumber | PartFields.TotalParts | PartFields.Records, command.Reading.Sent);
        Assert.Equal(PartFields.SyncId | PartFields.TotalParts | PartFields.Records, command.Reading.Read);
        Assert.Equal("part_number", Assert.Single(command.Reading.Errors).Key);
        Assert.Equal(("s1", 2), (command.SyncId, command.TotalParts));
        Assert.True(command.Has(PartFields.SyncId));
        Assert.False(command.Has(PartFields.PartNumber));
    }
}
