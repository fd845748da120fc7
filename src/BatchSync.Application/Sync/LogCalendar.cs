using System.Globalization;
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

    /// <summary>How a log date is written everywhere: table column, folder name, <c>processing_results</c> key.</summary>
    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public DateOnly LogDate(long timestampMs)
    {
        var utc = DateTime.UnixEpoch.AddMilliseconds(timestampMs);
        return DateOnly.FromDateTime(_zone == TimeZoneInfo.Utc ? utc : TimeZoneInfo.ConvertTimeFromUtc(utc, _zone));
    }

    /// <summary>The Unix milliseconds of a log date: every instant from <c>Start</c> (inclusive) to <c>End</c> (exclusive).</summary>
    public (long Start, long End) Day(DateOnly date) => (StartOf(date), StartOf(date.AddDays(1)));

    private long StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        if (_zone == TimeZoneInfo.Utc)
        {
            return new DateTimeOffset(local, TimeSpan.Zero).ToUnixTimeMilliseconds();
        }

        // Where a DST change skips midnight, the day starts at the first local time that exists; where
        // it repeats midnight, at the first of the two.
        while (_zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = _zone.IsAmbiguousTime(local) ? _zone.GetAmbiguousTimeOffsets(local).Max() : _zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUnixTimeMilliseconds();
    }
}
