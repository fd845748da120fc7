using BatchSync.Infrastructure.LogFiles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BatchSync.UnitTests.Infrastructure;

public sealed class LogFileWriterTests
{
    [Fact]
    public async Task Post_FileCannotBeWritten_RewrittenOnceTheInjectedClockReachesTheFirstRetry()
    {
        using var folder = new LogFileFolder();
        var clock = new FakeTimeProvider();
        var forgotten = new TaskCompletionSource<List<long>>(TaskCreationOptions.RunContinuationsAsynchronously);
        folder.BlockLogs();
        await using var writer = new LogFileWriter(
            folder.Paths, folder.Calendar, folder.ConnectionString, ids => forgotten.TrySetResult(ids), clock, NullLogger.Instance);
        var change = LogFileFolder.Rewrite(outboxId: 7);

        writer.Post([change]);
        await Assert.ThrowsAnyAsync<IOException>(() => change.Written);
        folder.UnblockLogs();
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        Assert.False(forgotten.Task.IsCompleted, "retried before the clock reached a second");
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(7L, Assert.Single(await forgotten.Task.WaitAsync(TimeSpan.FromSeconds(10))));
        Assert.Equal(LogFileFolder.Lines, File.ReadAllLines(folder.FilePath));
    }
}
