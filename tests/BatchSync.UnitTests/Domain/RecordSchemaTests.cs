using BatchSync.Domain.Sync;

namespace BatchSync.UnitTests.Domain;

public class RecordSchemaTests
{
    [Fact]
    public void CanonicalNames_TheOrderStoredRecordsWereHashedIn()
    {
        // A record's identity is the hash of its canonical JSON: reordering these would make every record
        // sent again after an upgrade a new one.
        Assert.Equal(
            ["type", "timestamp", "event_type", "latitude", "longitude", "accuracy", "altitude", "speed", "bearing",
             "battery_level", "network_type", "provider", "location"],
            RecordSchema.CanonicalNames);
    }

    [Fact]
    public void Of_EachTypeItsFieldsInColumnOrder()
    {
        Assert.Equal(
            ["latitude", "longitude", "accuracy", "altitude", "speed", "bearing", "battery_level", "network_type", "provider"],
            RecordSchema.Of(RecordType.Location).Select(f => f.Path));
        Assert.Equal(
            ["event_type", "location.latitude", "location.longitude", "location.accuracy", "speed", "bearing"],
            RecordSchema.Of(RecordType.Driving).Select(f => f.Path));
        Assert.Equal(["speed", "bearing"], RecordSchema.Common.Select(f => f.Path));
        Assert.Equal("latitude", RecordSchema.Field("location.latitude").Column);
    }

    [Theory]
    [InlineData("latitude", 90.0, null)]
    [InlineData("latitude", -90.5, "must be between -90 and 90")]
    [InlineData("accuracy", -0.1, "must be at least 0")]
    [InlineData("battery_level", 101.0, "must be between 0 and 100")]
    [InlineData("altitude", -1e9, null)]
    public void Check_Numbers(string path, double value, string? problem)
    {
        Assert.Equal(problem, RecordSchema.Field(path).Check(FieldValue.Of(value)));
    }

    [Fact]
    public void Check_RequiredBlankAndLongText()
    {
        var eventType = RecordSchema.Field("event_type");

        Assert.Equal("is required", eventType.Check(FieldValue.None));
        Assert.Equal("is required", eventType.Check(FieldValue.Of("  ")));
        Assert.Equal("must be at most 64 characters", eventType.Check(FieldValue.Of(new string('x', 65))));
        Assert.Null(eventType.Check(FieldValue.Of("hard_brake")));
        Assert.Null(RecordSchema.Field("provider").Check(FieldValue.None));
    }
}
