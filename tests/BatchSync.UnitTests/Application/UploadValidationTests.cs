using System.Text;
using BatchSync.Application.Behaviors;
using BatchSync.Application.Common;
using BatchSync.Application.Sync.UploadBatchPart;
using BatchSync.Domain.Common;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BatchSync.UnitTests.Application;

public class UploadValidationTests
{
    private static readonly Caller Device = new("t", CallerRole.Device, null);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 9, 10, 0, 0, 0, TimeSpan.Zero));

    private Dictionary<string, string[]> Validate(string json, Action<LimitsOptions>? limits = null)
    {
        var options = new BatchSyncOptions();
        limits?.Invoke(options.Limits);
        var validator = new UploadBatchPartCommandValidator(Options.Create(options), _time);
        var result = validator.Validate(BatchPartReader.Read(Encoding.UTF8.GetBytes(json), Device));
        return result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
    }

    private static string Body(string records, string syncId = "undefined_1694123456789_k3j4h5a9z", int part = 1, int total = 5) =>
        $$"""{"sync_id":"{{syncId}}","device_id":"device123","user_name":"john_doe","part_number":{{part}},"total_parts":{{total}},"records":[{{records}}]}""";

    private const string Location =
        """{"type":"location","timestamp":1694123456789,"latitude":32.0853,"longitude":34.7818,"accuracy":15.0,"altitude":125.5,"speed":45.2,"bearing":245.8,"battery_level":85,"network_type":"WiFi","provider":"gps"}""";

    private const string Driving =
        """{"type":"driving","timestamp":1694123466789,"event_type":"driving_start","location":{"latitude":32.0863,"longitude":34.7828,"accuracy":12.0},"speed":0,"bearing":180.0}""";

    [Fact]
    public void Validate_SeedExample_NoErrors()
    {
        Assert.Empty(Validate(Body($"{Location},{Driving}")));
    }

    [Theory]
    [InlineData("type")]
    [InlineData("timestamp")]
    [InlineData("latitude")]
    [InlineData("longitude")]
    public void Validate_RequiredFieldNull_IsRequired(string field)
    {
        var record = System.Text.Json.Nodes.JsonNode.Parse(Location)!.AsObject();
        record[field] = null;

        var errors = Validate(Body(record.ToJsonString()));

        Assert.Equal(["is required"], errors[$"records[0].{field}"]);
    }

    [Fact]
    public void Validate_DrivingEventTypeNull_IsRequired()
    {
        var errors = Validate(Body(Driving.Replace("\"driving_start\"", "null", StringComparison.Ordinal)));

        Assert.Equal(["is required"], errors["records[0].event_type"]);
    }

    [Fact]
    public void Validate_ManyBadFields_EveryOneReportedWithItsPath()
    {
        var errors = Validate(Body(
            """
            {"type":"location","timestamp":1694123456789,"latitude":95,"longitude":"east"},
            {"type":"walking","timestamp":1694123456789},
            {"type":"driving","timestamp":1694123456789,"location":{"latitude":-91},"speed":-1,"bearing":361},
            {"type":"location","latitude":1,"longitude":1,"battery_level":101}
            """,
            part: 6));

        Assert.Equal(["must be between -90 and 90"], errors["records[0].latitude"]);
        Assert.Equal(["must be a number"], errors["records[0].longitude"]);
        Assert.Equal(["must be 'location' or 'driving'"], errors["records[1].type"]);
        Assert.Equal(["is required"], errors["records[2].event_type"]);
        Assert.Equal(["must be between -90 and 90"], errors["records[2].location.latitude"]);
        Assert.Equal(["must be at least 0"], errors["records[2].speed"]);
        Assert.Equal(["must be between 0 and 360"], errors["records[2].bearing"]);
        Assert.Equal(["is required"], errors["records[3].timestamp"]);
        Assert.Equal(["must be between 0 and 100"], errors["records[3].battery_level"]);
        Assert.Equal(["must not exceed total_parts"], errors["part_number"]);
    }

    [Fact]
    public void Validate_WrongTopLevelTypes_NamedPerField()
    {
        var errors = Validate("""{"sync_id":5,"device_id":"d","user_name":"u","part_number":"1","total_parts":2.5,"records":{}}""");

        Assert.Equal(["must be a string"], errors["sync_id"]);
        Assert.Equal(["must be an integer"], errors["part_number"]);
        Assert.Equal(["must be an integer"], errors["total_parts"]);
        Assert.Equal(["must be an array"], errors["records"]);
    }

    [Theory]
    [InlineData("undefined_1694123456789_k3j4h5a9z", true)]
    [InlineData("dev.ice-1:a@b_c", true)]
    [InlineData("..", false)]
    [InlineData(".", false)]
    [InlineData("../etc", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    public void Validate_SyncId_ClosedAlphabet(string syncId, bool valid)
    {
        var errors = Validate(Body(Location, syncId: syncId));

        Assert.Equal(valid, !errors.ContainsKey("sync_id"));
    }

    [Fact]
    public void Validate_SyncIdOf129Characters_Rejected()
    {
        Assert.Contains("sync_id", Validate(Body(Location, syncId: new string('a', 129))).Keys);
        Assert.DoesNotContain("sync_id", Validate(Body(Location, syncId: new string('a', 128))).Keys);
    }

    [Theory]
    [InlineData(946684799999, "must not be before 2000-01-01 (Unix epoch milliseconds)")]
    [InlineData(1726012800001, "must not be in the future (Unix epoch milliseconds)")]
    public void Validate_TimestampOutOfWindow_Rejected(long timestamp, string message)
    {
        var errors = Validate(Body($$"""{"type":"location","timestamp":{{timestamp}},"latitude":1,"longitude":1}"""));

        Assert.Equal([message], errors["records[0].timestamp"]);
    }

    [Fact]
    public void Validate_TimestampWithinSkew_Accepted()
    {
        var tomorrowMinusOne = _time.GetUtcNow().AddDays(1).ToUnixTimeMilliseconds() - 1;

        Assert.Empty(Validate(Body($$"""{"type":"location","timestamp":{{tomorrowMinusOne}},"latitude":1,"longitude":1}""")));
    }

    [Fact]
    public void Validate_HugeNumber_NotFinite()
    {
        var errors = Validate(Body("""{"type":"location","timestamp":1694123456789,"latitude":1e400,"longitude":1}"""));

        Assert.Equal(["must be a finite number"], errors["records[0].latitude"]);
    }

    [Fact]
    public void Validate_DuplicateProperty_Rejected()
    {
        var errors = Validate(Body("""{"type":"location","timestamp":1694123456789,"latitude":1,"latitude":2,"longitude":1}"""));

        Assert.Equal(["appears more than once"], errors["records[0].latitude"]);
    }

    [Fact]
    public void Validate_MoreRecordsThanLimit_TooLarge()
    {
        var validator = new UploadBatchPartCommandValidator(Options.Create(new BatchSyncOptions { Limits = { MaxBatchSize = 2 } }), _time);
        var result = validator.Validate(BatchPartReader.Read(Encoding.UTF8.GetBytes(Body($"{Location},{Location},{Location}")), Device));

        var failure = Assert.Single(result.Errors);
        Assert.Equal("records", failure.PropertyName);
        Assert.Equal(UploadBatchPartCommandValidator.TooLargeCode, failure.ErrorCode);
    }

    [Fact]
    public void Invalid_TooLargeFailure_TooLargeElseValidation()
    {
        var fields = new Dictionary<string, string[]> { ["records"] = ["too many"] };
        var tooLarge = new FluentValidation.Results.ValidationFailure("records", "too many") { ErrorCode = UploadBatchPartCommandValidator.TooLargeCode };

        Assert.Equal(ErrorKind.TooLarge, InvalidOf<UploadBatchPartCommand>(fields, [tooLarge]).Kind);
        Assert.Equal(ErrorKind.Validation, InvalidOf<UploadBatchPartCommand>(fields, [new("records", "too many")]).Kind);
    }

    [Fact]
    public void Validate_PartNumberOutsideOneToTotal_TheSessionsMessages()
    {
        Assert.Equal(["must be at least 1"], Validate(Body(Location, part: 0))["part_number"]);
        Assert.Equal(["must be at least 1", "must not exceed total_parts"], Validate(Body(Location, part: -1, total: -2))["part_number"]);
        Assert.Equal(["must be an integer"], Validate(Body(Location).Replace("\"part_number\":1", "\"part_number\":true", StringComparison.Ordinal))["part_number"]);
    }

    private static Error InvalidOf<T>(Dictionary<string, string[]> fields, List<FluentValidation.Results.ValidationFailure> failures)
        where T : IValidated =>
        T.Invalid(fields, failures);

    [Fact]
    public void Validate_MissingEverything_RequiredFieldsNamed()
    {
        var errors = Validate("{}");

        Assert.Equal(["sync_id", "device_id", "user_name", "total_parts", "part_number", "records"], errors.Keys.ToArray());
    }

    [Fact]
    public void Validate_ControlCharacterInUserName_Rejected()
    {
        var errors = Validate(Body(Location).Replace("john_doe", "john\\u0000", StringComparison.Ordinal));

        Assert.Equal(["must not contain control characters"], errors["user_name"]);
    }
}
