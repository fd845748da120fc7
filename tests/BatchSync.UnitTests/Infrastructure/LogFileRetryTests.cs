using BatchSync.Infrastructure.LogFiles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BatchSync.UnitTests.Infrastructure;

public sealed class LogFileRetryTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly LogFileFolder _folder = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly List<long> _forgotten = [];
    private readonly LogFileRetry _retry;

    public LogFileRetryTests() =>
        _retry = new LogFileRetry(
            new LogFileRebuilder(_folder.Paths, _folder.Calendar, _folder.ConnectionString),
            ids => _forgotten.AddRange(ids),
            _clock,
            NullLogger.Instance);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Run_FileStillCannotBeWritten_BacksOffFromOneSecondDoublingToThirtyOnTheInjectedClock()
    {
        _folder.BlockLogs();
        Damage(outboxId: 7);

        int[] schedule = [1, 2, 4, 8, 16, 30, 30, 30];
        foreach (var seconds in schedule)
        {
            await AssertRetryDueAfter(TimeSpan.FromSeconds(seconds));
            _retry.Run();
        }

        Assert.True(_retry.Pending);
        Assert.Empty(_forgotten);
        Assert.False(File.Exists(_folder.FilePath));
    }

    [Fact]
    public async Task Run_FileWritableAgain_RewritesItForgetsItsOutboxRowsAndStartsAgainFromOneSecond()
    {
        _folder.BlockLogs();
        Damage(outboxId: 7);
        await AssertRetryDueAfter(TimeSpan.FromSeconds(1));
        _retry.Run();
        _folder.UnblockLogs();
        await AssertRetryDueAfter(TimeSpan.FromSeconds(2));
        _retry.Run();

        Assert.False(_retry.Pending);
        Assert.Equal(7L, Assert.Single(_forgotten));
        Assert.Equal(LogFileFolder.Lines, File.ReadAllLines(_folder.FilePath));

        Damage(outboxId: 8);
        await AssertRetryDueAfter(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task WaitForWork_WorkComesBeforeTheDelay_True()
    {
        Damage(outboxId: 7);
        var work = new TaskCompletionSource<bool>();
        var waiting = Task.Run(() => _retry.WaitForWork(work.Task));
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        Assert.False(waiting.IsCompleted);

        work.SetResult(true);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(_retry.WaitForWork(Task.CompletedTask));
    }

    [Fact]
    public void WaitForWork_RetryDueWhileWorkKeepsComing_FalseSoTheRetryRuns()
    {
        Damage(outboxId: 7);
        _clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.True(_retry.WaitForWork(Task.CompletedTask));
        _clock.Advance(TimeSpan.FromMilliseconds(400));

        Assert.False(_retry.WaitForWork(Task.CompletedTask));
    }

    /// <summary>The retry waits exactly <paramref name="delay"/> on the injected clock, and is due then and not before.</summary>
    private async Task AssertRetryDueAfter(TimeSpan delay)
    {
        Assert.Equal(delay, _retry.Delay);
        var waiting = Task.Run(() => _retry.WaitForWork(new TaskCompletionSource<bool>().Task));
        await Task.Delay(TimeSpan.FromMilliseconds(20));
        _clock.Advance(delay - Tick);
        await Task.Delay(TimeSpan.FromMilliseconds(150));
        Assert.False(waiting.IsCompleted, $"retry due before {delay}");
        _clock.Advance(Tick);
        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(10)), "work came though none was sent");
    }

    private void Damage(long outboxId)
    {
        var change = LogFileFolder.Rewrite(outboxId);
        _retry.Handled(change);
        _retry.Damaged(_folder.FilePath, [change], new IOException("No space left on device"));
    }
}
