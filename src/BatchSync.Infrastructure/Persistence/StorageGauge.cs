using BatchSync.Application.Abstractions;
using Microsoft.Data.Sqlite;

using BatchSync.Application.Common;
using Microsoft.Extensions.Options;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>Free space of the file system that holds the data folder (statvfs on Linux).</summary>
internal sealed class StorageGauge(IOptions<BatchSyncOptions> options) : IStorageGauge
{
    public long AvailableBytes() => new DriveInfo(Path.GetFullPath(options.Value.DataDirectory)).AvailableFreeSpace;
}

/// <summary>Tells a full disk from other I/O faults, so a client hears "later" rather than "broken".</summary>
internal static class StorageFaults
{
    private const int SqliteFull = 13;
    private const int NoSpaceOnDevice = 28;
    private const int DiskQuotaExceeded = 122;

    public static bool IsOutOfSpace(Exception e) => e switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteFull,
        IOException io => io.HResult is NoSpaceOnDevice or DiskQuotaExceeded || (io.HResult & 0xFFFF) is 0x70 or 0x27,
        _ => e.InnerException is { } inner && IsOutOfSpace(inner),
    };

    /// <summary>The exception a waiting caller is given: a full disk becomes <see cref="StorageFullException"/>.</summary>
    public static Exception Translate(Exception e) =>
        e is not StorageFullException && IsOutOfSpace(e) ? new StorageFullException("The server's storage is full.", e) : e;
}
