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
    [InlineData("Pacific/Kiritimati")]
    [InlineData("Pacific/Pago_Pago")]
    [InlineData("UTC")]
    public void Window_HoldsEveryInstantOfTheLocalDay(string zone)
    {
        var calendar = new LogCalendar(TimeZoneInfo.FindSystemTimeZoneById(zone));
        var date = new DateOnly(2024, 3, 10);
        var (from, to) = calendar.Window(date);

        for (var ts = from - 86_400_000; ts <= to + 86_400_000; ts += 600_000)
        {
            if (calendar.LogDate(ts) == date)
            {
                Assert.InRange(ts, from, to);
            }
        }
    }
}
