using System.Diagnostics.Metrics;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Diagnostics;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using BatchSync.Infrastructure.Persistence.Writing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace BatchSync.UnitTests.Infrastructure;

public sealed class WalFlusherTests
{
    [Fact]
    public async Task Post_LogSynced_AnswersEveryGroupAndHandsItsFilesToTheWriter()
    {
        using var folder = new LogFileFolder();
        var committed = new CommittedLogFiles();
        await using var files = NewFileWriter(folder);
        var change = LogFileFolder.Rewrite(outboxId: 3);
        var first = new WorkItem<int>(_ => 1);
        var second = new WorkItem<int>(_ => 2);

        using (var flusher = new WalFlusher(DatabasePath(folder), committed, files, Metrics(), NullLogger.Instance))
        {
            flusher.Post([first], [change], 0);
            flusher.Post([second], [], 0);
            await Task.WhenAll(first.Task, second.Task).WaitAsync(TimeSpan.FromSeconds(10));
        }

        // The change reached the file writer through the committed set, as a completion waits for it.
        await committed.WriteAsync([new OwedLogFile(RecordType.Location, LogFileFolder.DeviceId, LogFileFolder.Day, 3)], CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LogFileFolder.Lines, File.ReadAllLines(folder.FilePath));
    }

    [Fact]
    public async Task Post_LogCannotBeSynced_FailsTheItemsAndLeavesTheirFilesOwed()
    {
        using var folder = new LogFileFolder();
        await using var files = NewFileWriter(folder);
        var change = LogFileFolder.Rewrite(outboxId: 4);
        var item = new WorkItem<int>(_ => 1);

        using (var flusher = new WalFlusher(Path.Combine(DatabasePath(folder) + ".missing", "batchsync.db"), new CommittedLogFiles(), files, Metrics(), NullLogger.Instance))
        {
            flusher.Post([item], [change], 0);
            await Assert.ThrowsAnyAsync<IOException>(() => item.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        await Assert.ThrowsAnyAsync<IOException>(() => change.Written);
        Assert.False(File.Exists(folder.FilePath), "a file was written for a group that is not known to be on disk");
    }

    private static BatchSyncMetrics Metrics() => new(new Meters());

    private static string DatabasePath(LogFileFolder folder) => new SqliteConnectionStringBuilder(folder.ConnectionString).DataSource;

    private static LogFileWriter NewFileWriter(LogFileFolder folder) =>
        new(folder.Paths, folder.Calendar, folder.ConnectionString, _ => { }, TimeProvider.System, NullLogger.Instance);

    private sealed class Meters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
