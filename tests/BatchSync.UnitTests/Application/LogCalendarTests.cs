using BatchSync.Application.Sync;

namespace BatchSync.UnitTests.Application;

public class LogCalendarTests
{
    [Theory]
    [InlineData("UTC", 1694123456789, "2023-09-07")] // 21:50:56Z
    [InlineData("Asia/Jerusalem", 1694123456789, "2023-09-08")] // 00:50:56 +03:00
    [InlineData("America/Los_Angeles", 1694131200000, "2023-09-07")] // 2023-09-08T00:00Z is 17:00 the day before
    public void LogDate_DayInConfiguredZone(string zone, long timestamp, string expected)
    {
        var calendar = new LogCalendar(TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), calendar.LogDate(timestamp));
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Asia/Jerusalem")]
    [InlineData("America/Los_Angeles")]
    [InlineData("America/Santiago")] // DST changes at midnight
    [InlineData("America/Havana")]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("Australia/Lord_Howe")] // half-hour DST
    public void Day_HoldsExactlyTheInstantsOfTheLocalDate(string zone)
    {
        var calendar = new LogCalendar(TimeZoneInfo.FindSystemTimeZoneById(zone));
        for (var date = new DateOnly(2024, 1, 1); date.Year == 2024; date = date.AddDays(1))
        {
            var (start, end) = calendar.Day(date);
            for (var ts = start - 7_200_000; ts <= end + 7_200_000; ts += 300_000)
            {
                Assert.True(calendar.LogDate(ts) == date == (ts >= start && ts < end), $"{zone} {date} {ts}");
            }

            Assert.Equal(date, calendar.LogDate(start));
            Assert.NotEqual(date, calendar.LogDate(start - 1));
            Assert.NotEqual(date, calendar.LogDate(end));
        }
    }
}
