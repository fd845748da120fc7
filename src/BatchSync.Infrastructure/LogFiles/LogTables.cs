using BatchSync.Domain.Sync;

namespace BatchSync.Infrastructure.LogFiles;

/// <summary>The log table that holds each record type's rows, on either provider.</summary>
internal static class LogTables
{
    public static string Of(RecordType type) => type switch
    {
        RecordType.Location => "location_logs",
        RecordType.Driving => "driving_logs",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
