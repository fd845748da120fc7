using BatchSync.Application.Admin;

namespace BatchSync.UnitTests.Application;

/// <summary>A device's last position, read from its latest location record's canonical JSON.</summary>
public sealed class PositionTests
{
    [Theory]
    [InlineData("""{"type":"location","timestamp":5,"latitude":32.5,"longitude":34.75,"accuracy":4.5}""", 4.5)]
    [InlineData("""{"type":"location","timestamp":5,"latitude":32.5,"longitude":34.75,"accuracy":null}""", null)]
    [InlineData("""{"type":"location","timestamp":5,"latitude":32.5,"longitude":34.75}""", null)]
    public void Of_TheRecordsCoordinates_AccuracyOnlyWhenANumber(string data, double? accuracy)
    {
        var position = PositionDto.Of(5, data);

        Assert.Equal(new PositionDto(5, 32.5, 34.75, accuracy), position);
    }
}
