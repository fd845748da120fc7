using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BatchSync.Infrastructure.Persistence;

internal sealed class UnixMillisecondsConverter() : ValueConverter<DateTime, long>(
    v => ToUnixMilliseconds(v),
    v => FromUnixMilliseconds(v))
{
    public static long ToUnixMilliseconds(DateTime value) =>
        (long)(DateTime.SpecifyKind(value, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;

    public static DateTime FromUnixMilliseconds(long value) => DateTime.UnixEpoch.AddMilliseconds(value);
}
