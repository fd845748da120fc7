using BatchSync.Application.Common;
using Microsoft.Extensions.Options;

namespace BatchSync.Application.Sync;

/// <summary>A record's log date: the day of its timestamp in the configured time zone.</summary>
public sealed class LogCalendar
{
    private readonly TimeZoneInfo _zone;

    public LogCalendar(IOptions<BatchSyncOptions> options)
        : this(TimeZoneInfo.FindSystemTimeZoneById(options.Value.LogTimeZone))
    {
    }

    public LogCalendar(TimeZoneInfo zone) => _zone = zone;

    public DateOnly LogDate(long timestampMs)
    {
        var utc = DateTime.UnixEpoch.AddMilliseconds(timestampMs);
        return DateOnly.FromDateTime(_zone == TimeZoneInfo.Utc ? utc : TimeZoneInfo.ConvertTimeFromUtc(utc, _zone));
    }

    /// <summary>
    /// A window of Unix milliseconds that holds every instant of <paramref name="date"/> in the zone,
    /// with a day of margin either side (offsets never exceed a day); filter by log date within it.
    /// </summary>
    public (long From, long To) Window(DateOnly date)
    {
        var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
        const long day = 86_400_000;
        return (start - day, start + (2 * day));
    }
}
