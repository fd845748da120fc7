using BatchSync.Application.Abstractions;
using BatchSync.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;

namespace BatchSync.UnitTests.Infrastructure;

public class StorageFaultsTests
{
    [Fact]
    public void Translate_DiskFullFromSqliteOrTheFileSystem_BecomesStorageFull()
    {
        var sqliteFull = new SqliteException("database or disk is full", 13);
        var noSpace = new IOException("No space left on device", 28);
        var quota = new IOException("Disk quota exceeded", 122);

        Assert.All(
            new Exception[] { sqliteFull, noSpace, quota, new InvalidOperationException("wrapped", noSpace) },
            e => Assert.IsType<StorageFullException>(StorageFaults.Translate(e)));
    }

    [Fact]
    public void Translate_OtherFaults_PassUnchanged()
    {
        var busy = new SqliteException("database is locked", 5);
        var denied = new IOException("Permission denied", 13);

        Assert.Same(busy, StorageFaults.Translate(busy));
        Assert.Same(denied, StorageFaults.Translate(denied));
    }
}
