using BatchSync.Application.Common;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;

namespace BatchSync.Infrastructure.LogFiles;

/// <summary><c>logs/&lt;type&gt;/&lt;yyyy-MM-dd&gt;/&lt;device_id&gt;.jsonl</c> under the data folder, and never outside it.</summary>
internal sealed class LogFilePaths(string dataDirectory)
{
    private readonly string _root = Path.GetFullPath(Path.Combine(dataDirectory, "logs"));

    public string Of(RecordType type, DateOnly date, string deviceId)
    {
        if (!Identifiers.IsValid(deviceId))
        {
            throw new ArgumentException("Not a valid device id.", nameof(deviceId));
        }

        var path = Path.GetFullPath(Path.Combine(
            _root, type.WireName(), LogCalendar.Format(date), deviceId + ".jsonl"));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("Log file path escapes the data folder.", nameof(deviceId));
        }

        return path;
    }
}
