using System.Globalization;
using BatchSync.Application.Common;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;

namespace BatchSync.Infrastructure.LogFiles;

/// <summary><c>logs/&lt;type&gt;/&lt;yyyy-MM-dd&gt;/&lt;device_id&gt;.jsonl</c> under the data folder, and never outside it.</summary>
internal sealed class LogFilePaths(string dataDirectory)
{
    private readonly string _root = Path.GetFullPath(Path.Combine(dataDirectory, "logs"));

    /// <summary><c>spill/</c>: the new lines of large completions on their way to their dated files (<see cref="LineSpill"/>).</summary>
    public string SpillFolder { get; } = Path.GetFullPath(Path.Combine(dataDirectory, "spill"));

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

    /// <summary>The file a path under <c>logs/</c> is (or is the temporary file of), or null when it is none a server writes.</summary>
    public (RecordType Type, DateOnly Date, string DeviceId)? Parse(string path)
    {
        var parts = Path.GetRelativePath(_root, Path.GetFullPath(path)).Split(Path.DirectorySeparatorChar);
        if (parts.Length != 3 || !RecordTypes.TryParse(parts[0], out var type) ||
            !DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return null;
        }

        var name = parts[2];
        var deviceId = name.EndsWith(".jsonl.tmp", StringComparison.Ordinal) ? name[..^".jsonl.tmp".Length]
            : name.EndsWith(".jsonl", StringComparison.Ordinal) ? name[..^".jsonl".Length] : "";
        return Identifiers.IsValid(deviceId) ? (type, date, deviceId) : null;
    }
}
