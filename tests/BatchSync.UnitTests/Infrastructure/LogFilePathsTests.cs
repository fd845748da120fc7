using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;

namespace BatchSync.UnitTests.Infrastructure;

public sealed class LogFilePathsTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "batchsync-paths");
    private readonly LogFilePaths _paths = new(Root);

    [Theory]
    [InlineData(RecordType.Location, "device-1")]
    [InlineData(RecordType.Driving, "a.b_c-9")]
    public void Parse_APathOfAFileOrItsTemporaryFile_GivesBackTheFile(RecordType type, string deviceId)
    {
        var date = new DateOnly(2026, 3, 1);
        var path = _paths.Of(type, date, deviceId);

        Assert.Equal((type, date, deviceId), _paths.Parse(path));
        Assert.Equal((type, date, deviceId), _paths.Parse(path + ".tmp"));
    }

    [Theory]
    [InlineData("logs/location/2026-03-01/device-1.txt")]
    [InlineData("logs/parking/2026-03-01/device-1.jsonl")]
    [InlineData("logs/location/2026-13-01/device-1.jsonl")]
    [InlineData("logs/location/20260301/device-1.jsonl")]
    [InlineData("logs/location/2026-03-01/.jsonl")]
    [InlineData("logs/location/2026-03-01/extra/device-1.jsonl")]
    [InlineData("logs/device-1.jsonl")]
    [InlineData("elsewhere/location/2026-03-01/device-1.jsonl")]
    public void Parse_APathNoServerWrites_IsNull(string relative)
    {
        Assert.Null(_paths.Parse(Path.Combine(Root, relative)));
    }
}
